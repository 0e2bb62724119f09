using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.ErrorHandling.Classification;
using KafkaPipeline.ErrorHandling.Configuration;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.Errors;

namespace KafkaPipeline.ErrorHandling.DependencyInjection;

/// <summary>
/// Configures the default error handler of a consumer in Program.cs: a thin layer over the consumer's
/// <see cref="ErrorHandlingOptions"/>. The callback runs once per consumer when it is built at start, after
/// configuration was bound. Without a recoverer call, failed records go to the dead-letter topic.
/// </summary>
public sealed class DefaultErrorHandlerBuilder
{
    internal DefaultErrorHandlerBuilder(string groupId, ErrorHandlingOptions options)
    {
        GroupId = groupId;
        Options = options;
    }

    /// <summary>The consumer group being configured.</summary>
    public string GroupId { get; }

    /// <summary>The options every method of this builder changes (for settings without a method).</summary>
    public ErrorHandlingOptions Options { get; }

    private DefaultErrorHandlerOptions Handler => Options.Handler;

    /// <summary>The back-off of retryable failures (default FixedBackOff(0, 9): 10 deliveries).</summary>
    public DefaultErrorHandlerBuilder BackOff(IBackOff backOff)
    {
        Handler.BackOff = backOff ?? throw new ArgumentNullException(nameof(backOff));
        return this;
    }

    /// <summary>A back-off per record and exception; return null for the handler's attribute or the default.</summary>
    public DefaultErrorHandlerBuilder BackOffFunction(Func<ConsumeContext, Exception, IBackOff?> function)
    {
        Handler.BackOffFunction = function ?? throw new ArgumentNullException(nameof(function));
        return this;
    }

    /// <summary>Every failure goes to the recoverer at once.</summary>
    public DefaultErrorHandlerBuilder NoRetries() => BackOff(FixedBackOff.NoRetries);

    /// <summary>Failures caused by <typeparamref name="TException"/> go to the recoverer at once.</summary>
    public DefaultErrorHandlerBuilder NotRetryable<TException>()
        where TException : Exception => Classify(c => c.AddNotRetryable<TException>());

    /// <summary>Failures caused by any of <paramref name="exceptionTypes"/> go to the recoverer at once.</summary>
    public DefaultErrorHandlerBuilder NotRetryable(params Type[] exceptionTypes) => Classify(c => c.AddNotRetryable(exceptionTypes));

    /// <summary>Failures caused by <typeparamref name="TException"/> are retried (also one of the default not-retryable types).</summary>
    public DefaultErrorHandlerBuilder Retryable<TException>()
        where TException : Exception => Classify(c => c.AddRetryable<TException>());

    /// <summary>Failures caused by any of <paramref name="exceptionTypes"/> are retried.</summary>
    public DefaultErrorHandlerBuilder Retryable(params Type[] exceptionTypes) => Classify(c => c.AddRetryable(exceptionTypes));

    /// <summary>Removes the classification of <typeparamref name="TException"/>, so the default applies to it.</summary>
    public DefaultErrorHandlerBuilder RemoveClassification<TException>()
        where TException : Exception => Classify(c => c.Remove<TException>());

    /// <summary>Only types listed with <see cref="Retryable{TException}"/> are retried.</summary>
    public DefaultErrorHandlerBuilder RetryNothingByDefault(bool keepEntries = true) => Classify(c => c.RetryNothingByDefault(keepEntries));

    /// <summary>Full control of the classifier (e.g. <see cref="ExceptionClassifier.ReplaceClassifications"/>).</summary>
    public DefaultErrorHandlerBuilder Classify(Action<ExceptionClassifier> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(Handler.Classifier);
        return this;
    }

    /// <summary>Failed records go to <c>&lt;topic&gt;</c> + <paramref name="suffix"/> (default <c>-dlt</c>).</summary>
    public DefaultErrorHandlerBuilder DeadLetterTopic(string? suffix = null) =>
        DeadLetterTopic(o => o.TopicSuffix = suffix ?? o.TopicSuffix);

    /// <summary>Failed records go to a dead-letter topic configured by <paramref name="configure"/>.</summary>
    public DefaultErrorHandlerBuilder DeadLetterTopic(Action<DeadLetterPublishingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Options.Recoverer = RecovererKind.DeadLetter;
        configure(Options.DeadLetter);
        return this;
    }

    /// <summary>Failures caused by <typeparamref name="TException"/> (anywhere in the inner-exception chain) go to <paramref name="topic"/>.</summary>
    public DefaultErrorHandlerBuilder DeadLetterTopicFor<TException>(string topic)
        where TException : Exception
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        return DeadLetterTopic(o => o.ExceptionRoutes[typeof(TException)] = topic);
    }

    /// <summary>Chooses the dead-letter topic and partition per record; null falls back to the routes and the suffix.</summary>
    public DefaultErrorHandlerBuilder DeadLetterDestination(Func<ConsumeContext, Exception, TopicPartition?> resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        return DeadLetterTopic(o => o.DestinationResolver = resolver);
    }

    /// <summary>Log and skip failed records (they are lost). Opt-in only; a warning is logged at start.</summary>
    public DefaultErrorHandlerBuilder LogAndSkip()
    {
        Options.Recoverer = RecovererKind.Log;
        return this;
    }

    /// <summary>Your own recoverer (created once per consumer).</summary>
    public DefaultErrorHandlerBuilder Recoverer(Func<IServiceProvider, IConsumerRecordRecoverer> factory)
    {
        Options.CustomRecoverer = factory ?? throw new ArgumentNullException(nameof(factory));
        Options.Recoverer = RecovererKind.Custom;
        return this;
    }

    /// <summary>Adds a listener told of each failed delivery, recovery and failed recovery.</summary>
    public DefaultErrorHandlerBuilder AddRetryListener(IRetryListener listener)
    {
        Handler.RetryListeners.Add(listener ?? throw new ArgumentNullException(nameof(listener)));
        return this;
    }

    /// <summary>Whether a different exception type on the same record starts a new retry cycle (default true).</summary>
    public DefaultErrorHandlerBuilder ResetStateOnExceptionChange(bool reset = true)
    {
        Handler.ResetStateOnExceptionChange = reset;
        return this;
    }

    /// <summary>Whether a failed recovery runs the whole back-off again before the next recovery (default true).</summary>
    public DefaultErrorHandlerBuilder ResetStateOnRecoveryFailure(bool reset = true)
    {
        Handler.ResetStateOnRecoveryFailure = reset;
        return this;
    }

    /// <summary>After this many failed recoveries of one record, stop its partition (unhealthy) instead of retrying; null for never.</summary>
    public DefaultErrorHandlerBuilder MaxRecoveryFailures(int? max)
    {
        Handler.MaxRecoveryFailures = max;
        return this;
    }

    /// <summary>The shortest pause before a record whose recovery failed is delivered again (default 1 s).</summary>
    public DefaultErrorHandlerBuilder RecoveryFailureDelay(TimeSpan delay)
    {
        Handler.RecoveryFailureDelay = delay;
        return this;
    }
}
