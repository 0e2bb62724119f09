using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.BackOff;

namespace KafkaPipeline.ErrorHandling;

/// <summary>
/// Per-partition failure state of one consumer (spring-kafka's <c>FailedRecordTracker</c>): which offset is failing,
/// with which exception type, how often, and its running back-off. A new retry cycle starts when the partition has no
/// state, when a different offset fails, or (<see cref="ResetStateOnExceptionChange"/>, default on) when the exception
/// type changes. State is cleared on success, recovery and revoke. Used from the consumer's poll thread only.
/// </summary>
internal sealed class FailedRecordTracker
{
    private readonly Dictionary<TopicPartition, FailedRecordState> _states = [];

    public bool ResetStateOnExceptionChange { get; init; } = true;

    public int Count => _states.Count;

    /// <summary>Records a failure and returns the record's state; <paramref name="backOff"/> is asked only when a new cycle starts.</summary>
    public FailedRecordState RecordFailure(TopicPartition partition, long offset, Exception exception, Func<IBackOff> backOff)
    {
        if (!_states.TryGetValue(partition, out var state) || state.Offset != offset)
        {
            _states[partition] = state = new FailedRecordState(offset);
        }

        var type = exception.GetType();
        if (state.BackOff is null || (ResetStateOnExceptionChange && state.ExceptionType != type))
        {
            state.BackOff = backOff().Start();
            state.Attempts = 1;
        }
        else
        {
            state.Attempts++;
        }

        state.ExceptionType = type;
        return state;
    }

    /// <summary>Counts a failed recovery; with <paramref name="resetState"/> the next failure starts a new retry cycle.</summary>
    public int RecoveryFailed(TopicPartition partition, long offset, bool resetState)
    {
        if (!_states.TryGetValue(partition, out var state) || state.Offset != offset)
        {
            _states[partition] = state = new FailedRecordState(offset);
        }

        state.RecoveryFailures++;
        if (resetState)
        {
            state.BackOff = null;
            state.Attempts = 0;
        }

        return state.RecoveryFailures;
    }

    public FailedRecordState? Get(TopicPartition partition) => _states.GetValueOrDefault(partition);

    /// <summary>The partition moved on (success or recovery): forget its state.</summary>
    public void Clear(TopicPartition partition) => _states.Remove(partition);

    public void Remove(IEnumerable<TopicPartition> partitions)
    {
        foreach (var partition in partitions)
        {
            _states.Remove(partition);
        }
    }
}
