using KafkaPipeline.Consuming;

namespace KafkaPipeline.Tests;

public sealed class PartitionLanesTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ShouldDrop_AfterSeekBack_DropsOtherOffsetsUntilTheFailedOneArrives()
    {
        var lanes = new PartitionLanes();
        lanes.OnSeekBack(new("t", 0), 5, resumeAt: null);

        Assert.True(lanes.ShouldDrop(TestRecords.Record("t", 0, 6)));
        Assert.False(lanes.ShouldDrop(TestRecords.Record("t", 1, 6)));
        Assert.False(lanes.ShouldDrop(TestRecords.Record("t", 0, 5)));
        Assert.False(lanes.ShouldDrop(TestRecords.Record("t", 0, 6)));
    }

    [Fact]
    public void ShouldDrop_WhilePaused_DropsEverythingOfThatPartition()
    {
        var lanes = new PartitionLanes();
        lanes.OnSeekBack(new("t", 0), 5, Now.AddSeconds(3));

        Assert.True(lanes.ShouldDrop(TestRecords.Record("t", 0, 5)));
        Assert.Null(lanes.TakeDue(Now.AddSeconds(2)));
        Assert.Equal([new("t", 0)], lanes.TakeDue(Now.AddSeconds(3))!);
        Assert.False(lanes.ShouldDrop(TestRecords.Record("t", 0, 5)));
    }

    [Fact]
    public void DeliveryAttempt_CountsConsecutiveFailuresOfSameOffset()
    {
        var lanes = new PartitionLanes();
        var record = TestRecords.Record("t", 0, 5);
        Assert.Equal(1, lanes.DeliveryAttempt(record));

        lanes.OnSeekBack(record.TopicPartition, 5, null);
        lanes.OnSeekBack(record.TopicPartition, 5, null);
        Assert.Equal(3, lanes.DeliveryAttempt(record));

        lanes.OnSettled(record.TopicPartition);
        Assert.Equal(1, lanes.DeliveryAttempt(record));
    }

    [Fact]
    public void UntilNextDue_ReturnsNearestResume()
    {
        var lanes = new PartitionLanes();
        Assert.Null(lanes.UntilNextDue(Now));

        lanes.OnSeekBack(new("t", 0), 1, Now.AddSeconds(5));
        lanes.OnSeekBack(new("t", 1), 1, Now.AddSeconds(2));

        Assert.Equal(TimeSpan.FromSeconds(2), lanes.UntilNextDue(Now));
        Assert.Equal(TimeSpan.Zero, lanes.UntilNextDue(Now.AddSeconds(9)));
    }

    [Fact]
    public void Remove_RevokedPartition_ForgetsPauseAndStop()
    {
        var lanes = new PartitionLanes();
        lanes.OnStopped(new("t", 0), 3);
        Assert.True(lanes.IsStopped(new("t", 0)));

        lanes.Remove([new("t", 0)]);

        Assert.False(lanes.IsStopped(new("t", 0)));
        Assert.False(lanes.ShouldDrop(TestRecords.Record("t", 0, 9)));
    }
}
