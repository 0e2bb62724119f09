using KafkaPipeline.ErrorHandling.BackOff;

namespace KafkaPipeline.ErrorHandling;

/// <summary>The retry state of the record a partition is stuck on.</summary>
internal sealed class FailedRecordState(long offset)
{
    public long Offset { get; } = offset;

    /// <summary>Failures in the current retry cycle (1 after the first failure).</summary>
    public int Attempts { get; set; }

    /// <summary>The running back-off; null before the first failure of a cycle (and after a reset).</summary>
    public IBackOffExecution? BackOff { get; set; }

    public Type? ExceptionType { get; set; }

    /// <summary>Failed recoveries of this record; survives a state reset, cleared with the state.</summary>
    public int RecoveryFailures { get; set; }
}
