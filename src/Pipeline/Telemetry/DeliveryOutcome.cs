using KafkaPipeline.Errors;

namespace KafkaPipeline.Telemetry;

/// <summary>What became of one delivery of a record, for spans and metrics.</summary>
internal enum DeliveryOutcome
{
    Completed,
    Duplicate,
    Retry,
    Recovered,
    Stopped,
    Abandoned,
}

internal static class DeliveryOutcomes
{
    public static DeliveryOutcome Of(ErrorDisposition? disposition, bool duplicate) => disposition?.Kind switch
    {
        null => DeliveryOutcome.Abandoned,
        DispositionKind.Completed => duplicate ? DeliveryOutcome.Duplicate : DeliveryOutcome.Completed,
        DispositionKind.Retry => DeliveryOutcome.Retry,
        DispositionKind.Recovered => DeliveryOutcome.Recovered,
        _ => DeliveryOutcome.Stopped,
    };

    public static string Name(DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Completed => "completed",
        DeliveryOutcome.Duplicate => "duplicate",
        DeliveryOutcome.Retry => "retry",
        DeliveryOutcome.Recovered => "recovered",
        DeliveryOutcome.Stopped => "stopped",
        _ => "abandoned",
    };
}
