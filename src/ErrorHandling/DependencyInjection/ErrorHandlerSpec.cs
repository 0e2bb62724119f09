using KafkaPipeline.ErrorHandling.Recovery;

namespace KafkaPipeline.ErrorHandling.DependencyInjection;

/// <summary>Everything configured for one consumer's default error handler before it is built.</summary>
internal sealed class ErrorHandlerSpec
{
    public DefaultErrorHandlerOptions Handler { get; } = new();

    public RecovererChoice Recoverer { get; set; } = RecovererChoice.DeadLetter;

    public Func<IServiceProvider, IConsumerRecordRecoverer>? CustomRecoverer { get; set; }

    public DeadLetterPublishingOptions DeadLetter { get; } = new();
}

internal enum RecovererChoice
{
    DeadLetter,
    Log,
    Custom,
}
