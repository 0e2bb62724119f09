using KafkaPipeline.DeadLetters.Replay;

namespace KafkaPipeline.DeadLetters.Tests.Replay;

public sealed class PartitionProgressTests
{
    [Fact]
    public void CommitOffset_RecordInFlight_HoldsBackBehindIt()
    {
        var progress = new PartitionProgress(start: 5);
        progress.Open(5);
        progress.Open(6);
        progress.Done(6);

        Assert.Equal(5, progress.CommitOffset);
        progress.Done(5);
        Assert.Equal(7, progress.CommitOffset);
    }

    [Fact]
    public void CommitOffset_FailedRecordNeverDone_StaysAtFailedOffsetEvenIfLaterRecordsAreDone()
    {
        var progress = new PartitionProgress(start: 0);
        progress.Done(0);
        progress.Open(1);
        progress.Done(2);

        Assert.Equal(1, progress.CommitOffset);
    }

    [Fact]
    public void CommitOffset_GapsInOffsets_CommitsPastTheLastSeen()
    {
        var progress = new PartitionProgress(start: 0);
        progress.Done(3);

        Assert.Equal(4, progress.CommitOffset);
        Assert.Equal(0, progress.Start);
    }
}
