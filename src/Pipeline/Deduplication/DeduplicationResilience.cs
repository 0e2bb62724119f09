using System.Net.Sockets;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace KafkaPipeline.Deduplication;

/// <summary>Builds the Polly pipeline that guards calls to a remote deduplication store.</summary>
public static class DeduplicationResilience
{
    /// <summary>Errors worth retrying for any store: timeouts and I/O or socket failures.</summary>
    public static bool IsCommonTransient(Exception exception) =>
        exception is TimeoutException or IOException or SocketException or TimeoutRejectedException;

    /// <summary>
    /// Retry (when <paramref name="isTransient"/> says so, or the attempt timed out) around a circuit breaker
    /// (every failure counts) around a per-attempt timeout. A cancellation by the caller is never retried or counted.
    /// </summary>
    /// <exception cref="ArgumentException">The options break a rule; the message lists every broken rule.</exception>
    public static ResiliencePipeline CreatePipeline(
        DeduplicationResilienceOptions options, Func<Exception, bool>? isTransient = null, TimeProvider? timeProvider = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid DeduplicationOptions.Resilience:" + Environment.NewLine + string.Join(Environment.NewLine, errors), nameof(options));
        }

        if (!options.Enabled)
        {
            return ResiliencePipeline.Empty;
        }

        var transient = isTransient ?? IsCommonTransient;
        var builder = new ResiliencePipelineBuilder { Name = name, TimeProvider = timeProvider ?? TimeProvider.System };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && (e is TimeoutRejectedException || transient(e))),
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            });
        }

        if (options.CircuitBreakerEnabled)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && e is not OperationCanceledException),
                FailureRatio = options.CircuitBreakerFailureRatio,
                MinimumThroughput = options.CircuitBreakerMinimumThroughput,
                SamplingDuration = options.CircuitBreakerSamplingDuration,
                BreakDuration = options.CircuitBreakerBreakDuration,
            });
        }

        return builder.AddTimeout(options.Timeout).Build();
    }
}
