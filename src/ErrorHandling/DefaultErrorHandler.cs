using KafkaPipeline.ErrorHandling.Attributes;
using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.ErrorHandling.Classification;
using KafkaPipeline.ErrorHandling.Diagnostics;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.Checklist;
using KafkaPipeline.Errors;
using KafkaPipeline.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.ErrorHandling;

/// <summary>
/// Spring's <c>DefaultErrorHandler</c> on KafkaPipeline's seam: runs the pipeline and turns a failure into a decision the
/// record's lane carries out, over the failure state the lane keeps for the record. A retryable failure with back-off
/// left → <see cref="ErrorDisposition.Retry"/> after the next interval (the lane waits in memory; only what the ordering
/// mode keeps behind the record waits). Retries exhausted, a not-retryable exception or a back-off without retries → the
/// recoverer, awaited here, then <see cref="ErrorDisposition.Recovered"/>. A failing recoverer → Retry again (never a
/// commit), or <see cref="ErrorDisposition.Stop"/> after <see cref="DefaultErrorHandlerOptions.MaxRecoveryFailures"/> or
/// when the recoverer refuses the record for good (<see cref="RecoveryRefusedException"/>). A failure outside the record
/// (<see cref="IInfrastructureFailure"/>: a deduplication store down, a lease held elsewhere) is decided before
/// classification: it waits with <see cref="DefaultErrorHandlerOptions.DeduplicationBackOff"/> and is never recovered.
/// Cancellation of the record's token propagates and counts as no failure. Thread-safe: one instance serves all lanes
/// of a consumer.
/// </summary>
public sealed class DefaultErrorHandler : IConsumeErrorHandler, IDeadLetterTopics
{
    private readonly IConsumerRecordRecoverer _recoverer;
    private readonly IBackOff _backOff;
    private readonly Func<ConsumeContext, Exception, IBackOff?>? _backOffFunction;
    private readonly IBackOff _infrastructureBackOff;
    private readonly ExceptionClassifier _classifier;
    private readonly IRetryListener[] _listeners;
    private readonly bool _resetStateOnExceptionChange;
    private readonly bool _resetStateOnRecoveryFailure;
    private readonly int? _maxRecoveryFailures;
    private readonly TimeSpan _recoveryFailureDelay;
    private readonly Func<ConsumeContext, HandlerErrorPolicy?>? _policies;
    private readonly ILogger _logger;

    /// <summary>Creates the handler from <paramref name="options"/>, which must name a recoverer; they are validated here.</summary>
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
        _infrastructureBackOff = options.DeduplicationBackOff;
        _classifier = options.Classifier;
        _listeners = [.. options.RetryListeners];
        _resetStateOnExceptionChange = options.ResetStateOnExceptionChange;
        _resetStateOnRecoveryFailure = options.ResetStateOnRecoveryFailure;
        _maxRecoveryFailures = options.MaxRecoveryFailures;
        _recoveryFailureDelay = options.RecoveryFailureDelay;
        _policies = policies;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Where records that failed for good go.</summary>
    public IConsumerRecordRecoverer Recoverer => _recoverer;

    /// <summary>The back-off of retryable failures.</summary>
    public IBackOff BackOff => _backOff;

    /// <summary>Which failures are retried.</summary>
    public ExceptionClassifier Classifier => _classifier;

    IEnumerable<string> IDeadLetterTopics.DeadLetterTopics(ConsumerDescriptor consumer) =>
        _recoverer is IDeadLetterTopics topics ? topics.DeadLetterTopics(consumer) : [];

    /// <inheritdoc/>
    public async ValueTask<ErrorDisposition> HandleAsync(ConsumeContext context, ConsumeDelegate pipeline, RecordFailureState state)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(state);
        try
        {
            await pipeline(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            throw; // Shutdown or revoke abandoned the record: not a failure, nothing committed, redelivered later.
        }
        catch (Exception ex)
        {
            return await OnFailureAsync(context, ex, state).ConfigureAwait(false);
        }

        return ErrorDisposition.Completed;
    }

    private async ValueTask<ErrorDisposition> OnFailureAsync(ConsumeContext context, Exception exception, RecordFailureState state)
    {
        if (IsInfrastructureFailure(exception))
        {
            return WaitForInfrastructure(context, exception, state);
        }

        var policy = _policies?.Invoke(context);
        var retryable = (policy?.Classifier ?? _classifier).IsRetryable(exception);
        state.RecordFailure(exception, _resetStateOnExceptionChange, () => BackOffFor(context, exception, retryable, policy));
        Notify(context, static (l, c, e, a, _) => l.FailedDelivery(c, e, a), exception, state.Failures, null, nameof(IRetryListener.FailedDelivery));
        PipelineTracing.RecordException(exception);

        // One line per failure; the stack trace is logged once, when the record is recovered or its partition stops.
        if (!retryable)
        {
            Log.NotRetryable(_logger, context.Topic, context.Partition, context.Offset, TypeName(exception), exception.Message);
        }
        else if (state.BackOff!.NextBackOff() is { } delay)
        {
            Log.RetryScheduled(_logger, context.Topic, context.Partition, context.Offset, state.Failures, TypeName(exception), exception.Message, delay);
            return ErrorDisposition.Retry(delay);
        }
        else
        {
            Log.RetriesExhausted(_logger, context.Topic, context.Partition, context.Offset, state.Failures, TypeName(exception), exception.Message);
        }

        return await RecoverAsync(context, exception, state, retryable, policy).ConfigureAwait(false);
    }

    /// <summary>
    /// Nothing is wrong with the record: wait with the infrastructure back-off, whatever the classification, the back-off
    /// function or the handler's attributes say, and start its sequence again rather than ever recovering the record.
    /// </summary>
    private ErrorDisposition WaitForInfrastructure(ConsumeContext context, Exception exception, RecordFailureState state)
    {
        state.RecordFailure(exception, _resetStateOnExceptionChange, () => _infrastructureBackOff);
        Notify(context, static (l, c, e, a, _) => l.FailedDelivery(c, e, a), exception, state.Failures, null, nameof(IRetryListener.FailedDelivery));
        if (state.BackOff!.NextBackOff() is not { } delay)
        {
            state.ResetCycle();
            state.RecordFailure(exception, _resetStateOnExceptionChange, () => _infrastructureBackOff);
            delay = state.BackOff!.NextBackOff() ?? _recoveryFailureDelay;
        }

        Log.InfrastructureWait(_logger, context.Topic, context.Partition, context.Offset, state.Failures, delay, exception.Message);
        return ErrorDisposition.Retry(delay);
    }

    private async ValueTask<ErrorDisposition> RecoverAsync(
        ConsumeContext context, Exception exception, RecordFailureState state, bool retryable, HandlerErrorPolicy? policy)
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
            var failures = state.RecoveryFailed(_resetStateOnRecoveryFailure);
            if (failure is RecoveryRefusedException refused)
            {
                Log.RecoveryRefused(_logger, context.Topic, context.Partition, context.Offset, refused.Message, failure);
                return ErrorDisposition.Stop;
            }

            if (_maxRecoveryFailures is { } max && failures >= max)
            {
                Log.RecoveryFailuresExhausted(_logger, context.Topic, context.Partition, context.Offset, failures, failure);
                return ErrorDisposition.Stop;
            }

            var next = _resetStateOnRecoveryFailure
                ? BackOffFor(context, exception, retryable, policy).Start().NextBackOff()
                : state.BackOff?.NextBackOff();
            var delay = next is { } interval && interval > _recoveryFailureDelay ? interval : _recoveryFailureDelay;
            Log.RecoveryFailed(_logger, context.Topic, context.Partition, context.Offset, failures, failure.Message, delay, failures == 1 ? failure : null);
            return ErrorDisposition.Retry(delay);
        }

        Notify(context, static (l, c, e, _, _) => l.Recovered(c, e), exception, 0, null, nameof(IRetryListener.Recovered));
        Log.Recovered(_logger, context.Topic, context.Partition, context.Offset, Math.Max(1, state.Failures), _recoverer.ToString() ?? _recoverer.GetType().Name, exception);
        return ErrorDisposition.Recovered;
    }

    /// <summary>Not retryable → no retries; else the back-off function, the handler's attribute, the consumer's back-off.</summary>
    private IBackOff BackOffFor(ConsumeContext context, Exception exception, bool retryable, HandlerErrorPolicy? policy) =>
        !retryable ? FixedBackOff.NoRetries
        : _backOffFunction?.Invoke(context, exception)
            ?? policy?.BackOff
            ?? _backOff;

    private static string TypeName(Exception exception) => exception.GetType().FullName ?? exception.GetType().Name;

    private static bool IsInfrastructureFailure(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is IInfrastructureFailure)
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
