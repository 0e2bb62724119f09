using Confluent.Kafka;
using KafkaPipeline.Deduplication;
using KafkaPipeline.ErrorHandling.Attributes;
using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.ErrorHandling.Classification;
using KafkaPipeline.ErrorHandling.Diagnostics;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.ErrorHandling;

/// <summary>
/// Spring's <c>DefaultErrorHandler</c> on KafkaPipeline's seam: runs the pipeline and turns a failure into a decision the
/// poll loop carries out. A retryable failure with back-off left → <see cref="ErrorDisposition.SeekBack"/> after the next
/// interval (only that partition waits). Retries exhausted, a not-retryable exception or a back-off without retries →
/// the recoverer, then <see cref="ErrorDisposition.Recovered"/>. A failing recoverer → SeekBack again (never a commit),
/// or <see cref="ErrorDisposition.Stop"/> after <see cref="DefaultErrorHandlerOptions.MaxRecoveryFailures"/>.
/// Cancellation of the record's token propagates and counts as no failure. One instance per consumer, used from its
/// poll thread only.
/// </summary>
public sealed class DefaultErrorHandler : IConsumeErrorHandler
{
    private readonly IConsumerRecordRecoverer _recoverer;
    private readonly IBackOff _backOff;
    private readonly Func<ConsumeContext, Exception, IBackOff?>? _backOffFunction;
    private readonly IBackOff _deduplicationBackOff;
    private readonly ExceptionClassifier _classifier;
    private readonly IRetryListener[] _listeners;
    private readonly bool _resetStateOnRecoveryFailure;
    private readonly int? _maxRecoveryFailures;
    private readonly TimeSpan _recoveryFailureDelay;
    private readonly Func<ConsumeContext, HandlerErrorPolicy?>? _policies;
    private readonly ILogger _logger;

    public DefaultErrorHandler(DefaultErrorHandlerOptions options, ILogger<DefaultErrorHandler>? logger = null)
        : this(options, logger, policies: null)
    {
    }

    internal DefaultErrorHandler(DefaultErrorHandlerOptions options, ILogger? logger, Func<ConsumeContext, HandlerErrorPolicy?>? policies)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        options.Validate(nameof(DefaultErrorHandlerOptions), errors);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(DefaultErrorHandlerOptions), typeof(DefaultErrorHandlerOptions), errors);
        }

        _recoverer = options.Recoverer!;
        _backOff = options.BackOff;
        _backOffFunction = options.BackOffFunction;
        _deduplicationBackOff = options.DeduplicationBackOff;
        _classifier = options.Classifier;
        _listeners = [.. options.RetryListeners];
        _resetStateOnRecoveryFailure = options.ResetStateOnRecoveryFailure;
        _maxRecoveryFailures = options.MaxRecoveryFailures;
        _recoveryFailureDelay = options.RecoveryFailureDelay;
        _policies = policies;
        _logger = logger ?? NullLogger.Instance;
        Tracker = new FailedRecordTracker { ResetStateOnExceptionChange = options.ResetStateOnExceptionChange };
    }

    public IConsumerRecordRecoverer Recoverer => _recoverer;

    public IBackOff BackOff => _backOff;

    public ExceptionClassifier Classifier => _classifier;

    internal FailedRecordTracker Tracker { get; }

    public async ValueTask<ErrorDisposition> HandleAsync(ConsumeContext context, ConsumeDelegate pipeline)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pipeline);
        try
        {
            await pipeline(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw; // Shutdown abandoned the record: not a failure, nothing committed, redelivered after restart.
        }
        catch (Exception ex)
        {
            return await OnFailureAsync(context, ex).ConfigureAwait(false);
        }

        if (Tracker.Count > 0)
        {
            Tracker.Clear(context.Record.TopicPartition);
        }

        return ErrorDisposition.Completed;
    }

    public void OnPartitionsRevoked(IReadOnlyCollection<TopicPartition> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        Tracker.Remove(partitions);
    }

    private async ValueTask<ErrorDisposition> OnFailureAsync(ConsumeContext context, Exception exception)
    {
        var partition = context.Record.TopicPartition;
        var policy = _policies?.Invoke(context);
        var retryable = (policy?.Classifier ?? _classifier).IsRetryable(exception);
        var state = Tracker.RecordFailure(partition, context.Offset, exception, () => BackOffFor(context, exception, retryable, policy));
        Notify(context, static (l, c, e, a, _) => l.FailedDelivery(c, e, a), exception, state.Attempts, null, nameof(IRetryListener.FailedDelivery));

        if (!retryable)
        {
            Log.NotRetryable(_logger, context.Topic, context.Partition, context.Offset, exception.GetType().FullName ?? exception.GetType().Name, exception);
        }
        else if (state.BackOff!.NextBackOff() is { } delay)
        {
            Log.RetryScheduled(_logger, context.Topic, context.Partition, context.Offset, state.Attempts, delay, exception);
            return ErrorDisposition.SeekBack(delay);
        }
        else
        {
            Log.RetriesExhausted(_logger, context.Topic, context.Partition, context.Offset, state.Attempts, exception);
        }

        return await RecoverAsync(context, exception, partition, state, retryable, policy).ConfigureAwait(false);
    }

    private async ValueTask<ErrorDisposition> RecoverAsync(
        ConsumeContext context, Exception exception, TopicPartition partition, FailedRecordState state, bool retryable, HandlerErrorPolicy? policy)
    {
        try
        {
            await _recoverer.RecoverAsync(context, exception, context.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception failure)
        {
            Notify(context, static (l, c, e, _, f) => l.RecoveryFailed(c, e, f!), exception, 0, failure, nameof(IRetryListener.RecoveryFailed));
            var failures = Tracker.RecoveryFailed(partition, context.Offset, _resetStateOnRecoveryFailure);
            if (_maxRecoveryFailures is { } max && failures >= max)
            {
                Log.RecoveryFailuresExhausted(_logger, context.Topic, context.Partition, context.Offset, failures, failure);
                Tracker.Clear(partition);
                return ErrorDisposition.Stop;
            }

            var next = _resetStateOnRecoveryFailure
                ? BackOffFor(context, exception, retryable, policy).Start().NextBackOff()
                : state.BackOff?.NextBackOff();
            var delay = next is { } interval && interval > _recoveryFailureDelay ? interval : _recoveryFailureDelay;
            Log.RecoveryFailed(_logger, context.Topic, context.Partition, context.Offset, failures, delay, failure);
            return ErrorDisposition.SeekBack(delay);
        }

        Tracker.Clear(partition);
        Notify(context, static (l, c, e, _, _) => l.Recovered(c, e), exception, 0, null, nameof(IRetryListener.Recovered));
        Log.Recovered(_logger, context.Topic, context.Partition, context.Offset);
        return ErrorDisposition.Recovered;
    }

    /// <summary>
    /// Not retryable → no retries; else the back-off function, the deduplication wait, the handler's attribute,
    /// the consumer's back-off.
    /// </summary>
    private IBackOff BackOffFor(ConsumeContext context, Exception exception, bool retryable, HandlerErrorPolicy? policy) =>
        !retryable ? FixedBackOff.NoRetries
        : _backOffFunction?.Invoke(context, exception)
            ?? (IsDeduplicationWait(exception) ? _deduplicationBackOff : null)
            ?? policy?.BackOff
            ?? _backOff;

    private static bool IsDeduplicationWait(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is DeduplicationInProgressException or DeduplicationStoreException)
            {
                return true;
            }
        }

        return false;
    }

    private void Notify(
        ConsumeContext context,
        Action<IRetryListener, ConsumeContext, Exception, int, Exception?> callback,
        Exception exception,
        int attempt,
        Exception? failure,
        string name)
    {
        foreach (var listener in _listeners)
        {
            try
            {
                callback(listener, context, exception, attempt, failure);
            }
            catch (Exception ex)
            {
                Log.ListenerFailed(_logger, listener.GetType().Name, name, context.Topic, context.Partition, context.Offset, ex);
            }
        }
    }
}
