using KafkaPipeline.ErrorHandling;

namespace KafkaPipeline.Guarantees.Consumer;

/// <summary>
/// Retry-topic crash points, on the main topic: <c>before-forward</c> blocks when the chosen record's delivery failed,
/// before the recoverer forwards it; <c>after-forward-before-commit</c> blocks once the forward to the retry topic was
/// acknowledged, before the record's offset can be committed. The lane's thread blocks until the process is killed.
/// </summary>
public sealed class CrashingListener(GuaranteeRun run) : IRetryListener
{
    public void FailedDelivery(ConsumeContext context, Exception exception, int attempt) => CrashOnMainTopic("before-forward", context);

    public void Recovered(ConsumeContext context, Exception exception) => CrashOnMainTopic("after-forward-before-commit", context);

    private void CrashOnMainTopic(string point, ConsumeContext context)
    {
        if (string.Equals(context.Topic, run.Topic, StringComparison.Ordinal))
        {
            run.CrashIfAsync(point, context).AsTask().GetAwaiter().GetResult();
        }
    }
}
