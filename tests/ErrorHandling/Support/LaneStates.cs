using System.Runtime.CompilerServices;
using KafkaPipeline.Errors;

namespace KafkaPipeline.ErrorHandling.Tests.Support;

/// <summary>
/// What a lane does for the error handler in these value tests: one <see cref="RecordFailureState"/> per record (topic,
/// partition, offset), kept across its deliveries and dropped once the record is done or stopped.
/// </summary>
internal static class LaneStates
{
    private static readonly ConditionalWeakTable<IConsumeErrorHandler, Dictionary<(string, int, long), RecordFailureState>> States = [];

    /// <summary>One delivery of the context's record, with the state a lane would keep for that record.</summary>
    public static async ValueTask<ErrorDisposition> HandleAsync(this IConsumeErrorHandler handler, ConsumeContext context, ConsumeDelegate pipeline)
    {
        var states = States.GetOrCreateValue(handler);
        var key = (context.Topic, context.Partition, context.Offset);
        if (!states.TryGetValue(key, out var state))
        {
            states[key] = state = new RecordFailureState();
        }

        var disposition = await handler.HandleAsync(context, pipeline, state);
        if (disposition.Kind != DispositionKind.Retry)
        {
            states.Remove(key);
        }

        return disposition;
    }

    /// <summary>Records whose failure state a lane still holds (they wait for a retry).</summary>
    public static int PendingStates(this IConsumeErrorHandler handler) => States.GetOrCreateValue(handler).Count;
}
