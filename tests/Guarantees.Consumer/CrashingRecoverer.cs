using KafkaPipeline.ErrorHandling.Recovery;

namespace KafkaPipeline.Guarantees.Consumer;

/// <summary>
/// Decorates the real dead-letter recoverer: the record is published (acks=all) and then, for the chosen record, the
/// process blocks before the recoverer returns — the dead letter exists but the source offset is not committed.
/// </summary>
public sealed class CrashingRecoverer(IConsumerRecordRecoverer inner, GuaranteeRun run) : IConsumerRecordRecoverer
{
    public async ValueTask RecoverAsync(ConsumeContext context, Exception exception, CancellationToken cancellationToken)
    {
        await inner.RecoverAsync(context, exception, cancellationToken);
        await run.CrashIfAsync("during-dlt-publish", context);
        run.Print("DEADLETTERED", context);
    }
}
