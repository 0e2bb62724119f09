using System.Collections.Concurrent;
using KafkaPipeline.ErrorHandling;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.IntegrationTests.ErrorHandling;

/// <summary>One call of the test handler: which record, which attempt, whether the script let it pass, and when.</summary>
public sealed record Delivery(long Sequence, string Host, int Partition, long Offset, int Attempt, bool Succeeded, DateTime At);

/// <summary>
/// Every delivery that reached the handler, in the order the poll threads made them (including failed ones, which the
/// <see cref="Recorder"/> does not keep). Install with <c>recorder.Behavior = deliveries.Script(...)</c>.
/// </summary>
public sealed class Deliveries
{
    private readonly ConcurrentQueue<Delivery> _all = new();
    private long _sequence;

    public IReadOnlyList<Delivery> All => [.. _all.OrderBy(d => d.Sequence)];

    /// <summary>Runs <paramref name="script"/> (throw to fail the delivery) and logs the delivery with its outcome.</summary>
    public Func<ConsumeContext, ValueTask> Script(Action<ConsumeContext>? script = null) => context =>
    {
        var host = context.Services.GetService<HostName>()?.Value ?? "host";
        try
        {
            script?.Invoke(context);
        }
        catch
        {
            Add(context, host, succeeded: false);
            throw;
        }

        Add(context, host, succeeded: true);
        return ValueTask.CompletedTask;
    };

    public IReadOnlyList<Delivery> Of(int partition, long offset) => [.. All.Where(d => d.Partition == partition && d.Offset == offset)];

    private void Add(ConsumeContext context, string host, bool succeeded) =>
        _all.Enqueue(new Delivery(Interlocked.Increment(ref _sequence), host, context.Partition, context.Offset, context.DeliveryAttempt, succeeded, DateTime.UtcNow));
}

/// <summary>The retry listener's callbacks, as text and in order: "failed p0@3 #1 TimeoutException", "recovered p0@3", "recovery-failed p0@3".</summary>
public sealed class RetryEvents : IRetryListener
{
    private readonly ConcurrentQueue<string> _events = new();

    public IReadOnlyList<string> All => [.. _events];

    public int Count(string prefix) => _events.Count(e => e.StartsWith(prefix, StringComparison.Ordinal));

    public void FailedDelivery(ConsumeContext context, Exception exception, int attempt) =>
        _events.Enqueue($"failed p{context.Partition}@{context.Offset} #{attempt} {exception.GetType().Name}");

    public void Recovered(ConsumeContext context, Exception exception) =>
        _events.Enqueue($"recovered p{context.Partition}@{context.Offset}");

    /// <summary>Why recoveries failed (for diagnostics in assertion messages).</summary>
    public ConcurrentQueue<Exception> RecoveryFailures { get; } = new();

    public void RecoveryFailed(ConsumeContext context, Exception exception, Exception failure)
    {
        RecoveryFailures.Enqueue(failure);
        _events.Enqueue($"recovery-failed p{context.Partition}@{context.Offset}");
    }
}

/// <summary>A business failure the tests classify as not retryable.</summary>
public sealed class InvalidOrderException(string message) : Exception(message);
