using System.Text;
using KafkaPipeline.DeadLetters.Reading;
using KafkaPipeline.DeadLetters.Replay;
using KafkaPipeline.ErrorHandling.Recovery;

namespace KafkaPipeline.DeadLetters.Tests.Reading;

public sealed class DeadLetterFilterTests
{
    private static readonly DeadLetterRecord Record = new()
    {
        Topic = "orders-dlt",
        Partition = 1,
        Offset = 10,
        Timestamp = new DateTimeOffset(2025, 1, 1, 12, 0, 0, TimeSpan.Zero),
        Key = Encoding.UTF8.GetBytes("cust-7"),
        DeadLetter = new DeadLetterInfo("orders")
        {
            OriginalPartition = 2,
            ExceptionType = "Shop.InvalidOrderException",
            ExceptionCauseType = "System.FormatException",
            ExceptionMessage = "Amount is NEGATIVE",
        },
    };

    [Fact]
    public void Matches_NoCriteria_MatchesEverything()
    {
        Assert.True(DeadLetterFilter.None.Matches(Record));
        Assert.True(DeadLetterFilter.None.IsEmpty);
    }

    [Theory]
    [InlineData("invalidorder", true)]
    [InlineData("FormatException", true)]
    [InlineData("Timeout", false)]
    public void Matches_ExceptionType_MatchesTypeOrCauseIgnoringCase(string part, bool expected)
    {
        Assert.Equal(expected, new DeadLetterFilter { ExceptionType = part }.Matches(Record));
    }

    [Fact]
    public void Matches_RecordWithoutHeadersAndHeaderCriterion_DoesNotMatch()
    {
        var raw = new DeadLetterRecord { Topic = "t", Partition = 0, Offset = 0 };

        Assert.False(new DeadLetterFilter { OriginalPartition = 0 }.Matches(raw));
        Assert.False(new DeadLetterFilter { MessageContains = "x" }.Matches(raw));
        Assert.True(new DeadLetterFilter { Partition = 0 }.Matches(raw));
    }

    [Fact]
    public void Matches_TimeRange_FromInclusiveToExclusive()
    {
        var at = Record.Timestamp!.Value;

        Assert.True(new DeadLetterFilter { FromTime = at, ToTime = at.AddSeconds(1) }.Matches(Record));
        Assert.False(new DeadLetterFilter { ToTime = at }.Matches(Record));
    }

    [Fact]
    public void Fingerprint_SameCriteria_IsStableAndDiffersForOtherCriteria()
    {
        var a = new DeadLetterFilter { ExceptionType = "Timeout", Partition = 1 };
        var b = new DeadLetterFilter { Partition = 1, ExceptionType = "Timeout" };

        Assert.Equal(a.Fingerprint(), b.Fingerprint());
        Assert.NotEqual(a.Fingerprint(), new DeadLetterFilter { ExceptionType = "Timeout" }.Fingerprint());
        Assert.Equal("exception=Timeout; partition=1", a.Describe());
    }

    [Fact]
    public void DefaultGroupId_FilterOrNot_OneGroupPerSelection()
    {
        Assert.Equal("kafka-dlt-replay", ReplayRequest.DefaultGroupId(DeadLetterFilter.None));
        Assert.StartsWith("kafka-dlt-replay-", ReplayRequest.DefaultGroupId(new DeadLetterFilter { Key = "k" }), StringComparison.Ordinal);
        Assert.NotEqual(ReplayRequest.DefaultGroupId(new DeadLetterFilter { Key = "k" }), ReplayRequest.DefaultGroupId(new DeadLetterFilter { Key = "j" }));
    }
}
