using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.ErrorHandling.Tests.Support;

namespace KafkaPipeline.ErrorHandling.Tests;

public sealed class FailedRecordTrackerTests
{
    private static readonly TopicPartition P0 = new("orders", 0);
    private static readonly TopicPartition P1 = new("orders", 1);
    private readonly FailedRecordTracker _tracker = new();
    private int _backOffsStarted;

    [Fact]
    public void RecordFailure_SameOffsetSameException_CountsAttemptsOnOneBackOff()
    {
        _tracker.RecordFailure(P0, 5, new TransientException(), BackOff);
        var state = _tracker.RecordFailure(P0, 5, new TransientException(), BackOff);

        Assert.Equal(2, state.Attempts);
        Assert.Equal(1, _backOffsStarted);
    }

    [Fact]
    public void RecordFailure_NewOffset_StartsNewState()
    {
        _tracker.RecordFailure(P0, 5, new TransientException(), BackOff);
        _tracker.RecordFailure(P0, 5, new TransientException(), BackOff);
        var state = _tracker.RecordFailure(P0, 6, new TransientException(), BackOff);

        Assert.Equal(6, state.Offset);
        Assert.Equal(1, state.Attempts);
        Assert.Equal(2, _backOffsStarted);
    }

    [Fact]
    public void RecordFailure_ExceptionTypeChanges_StartsNewCycle()
    {
        _tracker.RecordFailure(P0, 5, new TransientException(), BackOff);
        var state = _tracker.RecordFailure(P0, 5, new TimeoutException(), BackOff);

        Assert.Equal(1, state.Attempts);
        Assert.Equal(typeof(TimeoutException), state.ExceptionType);
        Assert.Equal(2, _backOffsStarted);
    }

    [Fact]
    public void RecordFailure_ExceptionChangesWithResetOff_KeepsCounting()
    {
        var tracker = new FailedRecordTracker { ResetStateOnExceptionChange = false };
        tracker.RecordFailure(P0, 5, new TransientException(), BackOff);
        var state = tracker.RecordFailure(P0, 5, new TimeoutException(), BackOff);

        Assert.Equal(2, state.Attempts);
        Assert.Equal(1, _backOffsStarted);
    }

    [Fact]
    public void RecordFailure_PartitionsAreIndependent()
    {
        _tracker.RecordFailure(P0, 5, new TransientException(), BackOff);
        _tracker.RecordFailure(P1, 5, new TransientException(), BackOff);
        var state = _tracker.RecordFailure(P0, 5, new TransientException(), BackOff);

        Assert.Equal(2, state.Attempts);
        Assert.Equal(1, _tracker.Get(P1)!.Attempts);
    }

    [Fact]
    public void Clear_AfterSuccess_NextFailureStartsOver()
    {
        _tracker.RecordFailure(P0, 5, new TransientException(), BackOff);
        _tracker.Clear(P0);

        Assert.Null(_tracker.Get(P0));
        Assert.Equal(1, _tracker.RecordFailure(P0, 5, new TransientException(), BackOff).Attempts);
    }

    [Fact]
    public void Remove_RevokedPartitions_ForgetsOnlyThose()
    {
        _tracker.RecordFailure(P0, 5, new TransientException(), BackOff);
        _tracker.RecordFailure(P1, 9, new TransientException(), BackOff);

        _tracker.Remove([P0]);

        Assert.Null(_tracker.Get(P0));
        Assert.NotNull(_tracker.Get(P1));
        Assert.Equal(1, _tracker.Count);
    }

    [Fact]
    public void RecoveryFailed_WithReset_NextFailureStartsNewCycleButKeepsRecoveryCount()
    {
        _tracker.RecordFailure(P0, 5, new TransientException(), BackOff);
        _tracker.RecordFailure(P0, 5, new TransientException(), BackOff);

        Assert.Equal(1, _tracker.RecoveryFailed(P0, 5, resetState: true));
        var state = _tracker.RecordFailure(P0, 5, new TransientException(), BackOff);

        Assert.Equal(1, state.Attempts);
        Assert.Equal(2, _backOffsStarted);
        Assert.Equal(2, _tracker.RecoveryFailed(P0, 5, resetState: true));
    }

    [Fact]
    public void RecoveryFailed_WithoutReset_KeepsBackOffAndAttempts()
    {
        _tracker.RecordFailure(P0, 5, new TransientException(), BackOff);
        _tracker.RecoveryFailed(P0, 5, resetState: false);

        var state = _tracker.RecordFailure(P0, 5, new TransientException(), BackOff);

        Assert.Equal(2, state.Attempts);
        Assert.Equal(1, _backOffsStarted);
    }

    private IBackOff BackOff()
    {
        _backOffsStarted++;
        return new FixedBackOff(TimeSpan.Zero, 100);
    }
}
