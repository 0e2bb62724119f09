using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.DeadLetters.Tests.Reading;

public sealed class AgeTextTests
{
    [Theory]
    [InlineData("1w", "7d")]
    [InlineData("7d", "7d")]
    [InlineData("24h", "1d")]
    [InlineData("90s", "90s")]
    [InlineData("120s", "2m")]
    [InlineData("1.5h", "90m")]
    [InlineData("0.5s", "0.5s")]
    public void Format_ParsedAge_OneCanonicalSpelling(string text, string expected)
    {
        Assert.True(AgeText.TryParse(text, out var age));
        Assert.Equal(expected, AgeText.Format(age));
    }

    [Theory]
    [InlineData("2025-05-01")]
    [InlineData("-5m")]
    [InlineData("5x")]
    [InlineData("h")]
    public void TryParse_NotAnAge_ReturnsFalse(string text)
    {
        Assert.False(AgeText.TryParse(text, out _));
    }

    [Fact]
    public void Fingerprint_SameAgeWrittenDifferently_SameGroup()
    {
        var week = new DeadLetterFilter { MaxAge = TimeSpan.FromDays(7), ExceptionType = "Timeout" };
        var days = new DeadLetterFilter { MaxAge = TimeSpan.FromHours(168), ExceptionType = "Timeout" };

        Assert.Equal(week.Fingerprint(), days.Fingerprint());
        Assert.Equal("exception=Timeout; since=7d", week.Describe());
        Assert.NotEqual(week.Fingerprint(), new DeadLetterFilter { FromTime = DateTimeOffset.UtcNow.AddDays(-7), ExceptionType = "Timeout" }.Fingerprint());
    }

    [Fact]
    public void Matches_Ages_CountBackFromTheGivenTime()
    {
        var now = new DateTimeOffset(2025, 5, 10, 12, 0, 0, TimeSpan.Zero);
        var filter = new DeadLetterFilter { MaxAge = TimeSpan.FromHours(2), MinAge = TimeSpan.FromMinutes(30) };
        static DeadLetterRecord At(DateTimeOffset time) => new() { Topic = "t", Partition = 0, Offset = 0, Timestamp = time };

        Assert.True(filter.Matches(At(now.AddHours(-1)), now));
        Assert.False(filter.Matches(At(now.AddHours(-3)), now));
        Assert.False(filter.Matches(At(now.AddMinutes(-10)), now));
    }
}
