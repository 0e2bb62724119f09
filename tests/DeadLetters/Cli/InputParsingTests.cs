using KafkaPipeline.Cli.Commands;
using KafkaPipeline.Cli.Options;
using KafkaPipeline.Cli.Output;

namespace KafkaPipeline.DeadLetters.Tests.Cli;

public sealed class InputParsingTests
{
    private static readonly DateTimeOffset Now = new(2025, 5, 10, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("90s", "2025-05-10T11:58:30Z")]
    [InlineData("30m", "2025-05-10T11:30:00Z")]
    [InlineData("2h", "2025-05-10T10:00:00Z")]
    [InlineData("7d", "2025-05-03T12:00:00Z")]
    [InlineData("2025-05-01T08:00Z", "2025-05-01T08:00:00Z")]
    [InlineData("2025-05-01", "2025-05-01T00:00:00Z")]
    [InlineData("2025-05-01T08:00+02:00", "2025-05-01T06:00:00Z")]
    public void TryParse_AgeOrIsoTime_ReturnsUtcTime(string text, string expected)
    {
        Assert.True(TimeInput.TryParse(text, Now, out var time));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), time);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("5x")]
    [InlineData("")]
    public void TryParse_Nonsense_ReturnsFalse(string text)
    {
        Assert.False(TimeInput.TryParse(text, Now, out _));
    }

    [Theory]
    [InlineData("0@17", 0, 17L)]
    [InlineData("3:42", 3, 42L)]
    public void TryParse_Coordinates_ReturnsPartitionAndOffset(string text, int partition, long offset)
    {
        Assert.True(RecordCoordinates.TryParse(text, out var p, out var o));
        Assert.Equal((partition, offset), (p, o));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1@2")]
    [InlineData("a@b")]
    [InlineData("1@2@3")]
    public void TryParse_BadCoordinates_ReturnsFalse(string text)
    {
        Assert.False(RecordCoordinates.TryParse(text, out _, out _));
    }

    [Theory]
    [InlineData("Shop.Orders.InvalidOrderException", "InvalidOrderException")]
    [InlineData("Outer+Nested", "Nested")]
    [InlineData("System.Collections.Generic.List`1[[System.Int32]]", "List")]
    [InlineData(null, "-")]
    public void ShortType_FullName_ReturnsSimpleName(string? type, string expected)
    {
        Assert.Equal(expected, TextFormat.ShortType(type));
    }
}
