using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.ErrorHandling.Tests.Support;
using KafkaPipeline.Errors;

namespace KafkaPipeline.ErrorHandling.Tests;

/// <summary>Spring's FailedRecordTracker rules, now kept per record in the lane's <see cref="RecordFailureState"/>.</summary>
public sealed class RecordFailureStateTests
{
    private readonly RecordFailureState _state = new();
    private int _backOffsStarted;

    [Fact]
    public void RecordFailure_SameException_CountsFailuresOnOneBackOff()
    {
        _state.RecordFailure(new TransientException(), resetOnExceptionChange: true, BackOff);
        _state.RecordFailure(new TransientException(), resetOnExceptionChange: true, BackOff);

        Assert.Equal(2, _state.Failures);
        Assert.Equal(1, _backOffsStarted);
    }

    [Fact]
    public void RecordFailure_ExceptionTypeChanges_StartsNewCycle()
    {
        _state.RecordFailure(new TransientException(), resetOnExceptionChange: true, BackOff);
        _state.RecordFailure(new TimeoutException(), resetOnExceptionChange: true, BackOff);

        Assert.Equal(1, _state.Failures);
        Assert.Equal(typeof(TimeoutException), _state.ExceptionType);
        Assert.Equal(2, _backOffsStarted);
    }

    [Fact]
    public void RecordFailure_ExceptionChangesWithResetOff_KeepsCounting()
    {
        _state.RecordFailure(new TransientException(), resetOnExceptionChange: false, BackOff);
        _state.RecordFailure(new TimeoutException(), resetOnExceptionChange: false, BackOff);

        Assert.Equal(2, _state.Failures);
        Assert.Equal(1, _backOffsStarted);
    }

    [Fact]
    public void RecoveryFailed_WithReset_NextFailureStartsNewCycleButKeepsRecoveryCount()
    {
        _state.RecordFailure(new TransientException(), resetOnExceptionChange: true, BackOff);
        _state.RecordFailure(new TransientException(), resetOnExceptionChange: true, BackOff);

        Assert.Equal(1, _state.RecoveryFailed(resetCycle: true));
        _state.RecordFailure(new TransientException(), resetOnExceptionChange: true, BackOff);

        Assert.Equal(1, _state.Failures);
        Assert.Equal(2, _backOffsStarted);
        Assert.Equal(2, _state.RecoveryFailed(resetCycle: true));
    }

    [Fact]
    public void RecoveryFailed_WithoutReset_KeepsBackOffAndFailures()
    {
        _state.RecordFailure(new TransientException(), resetOnExceptionChange: true, BackOff);
        _state.RecoveryFailed(resetCycle: false);

        _state.RecordFailure(new TransientException(), resetOnExceptionChange: true, BackOff);

        Assert.Equal(2, _state.Failures);
        Assert.Equal(1, _backOffsStarted);
        Assert.Equal(1, _state.RecoveryFailures);
    }

    private IBackOff BackOff()
    {
        _backOffsStarted++;
        return new FixedBackOff(TimeSpan.Zero, 100);
    }
}
