namespace KafkaPipeline.Benchmarks.RetryTopics;

public sealed record BenchOrder(int Id, string Payload);

/// <summary>What one run counts: main-topic deliveries (handled or failed), and records finished on the retry topics.</summary>
public sealed class BenchCounters(string mainTopic, int total, bool failOnePercent, bool spread, int handlerMs = 0)
{
    private int _main;
    private int _retried;
    private long _lastMainTicks;
    private long _firstMainTicks;

    public string MainTopic => mainTopic;

    public bool FailOnePercent => failOnePercent;

    /// <summary>Awaited I/O per main-topic record (0: the handler returns at once).</summary>
    public int HandlerMs => handlerMs;

    /// <summary>How many of the records fail (and finish on the third tier).</summary>
    public int Failing => Enumerable.Range(0, total).Count(Fails);

    /// <summary>
    /// Whether record <paramref name="id"/> fails. Records are keyed <c>k{id % 1000}</c>. Poison keys (the default): ids
    /// divisible by 100, i.e. every record of 10 keys. Spread: one record in 100 of every key (<c>(id + id / 1000) % 100 == 0</c>).
    /// </summary>
    public bool Fails(int id) => failOnePercent && (spread ? (id + (id / 1000)) % 100 == 0 : id % 100 == 0);

    public int Main => Volatile.Read(ref _main);

    public int Retried => Volatile.Read(ref _retried);

    public TaskCompletionSource MainDone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long LastMainTicks => Interlocked.Read(ref _lastMainTicks);

    /// <summary>When the first main-topic record reached the handler (the run is measured from there: start-up excluded).</summary>
    public long FirstMainTicks => Interlocked.Read(ref _firstMainTicks);

    public void CountMain()
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        Interlocked.CompareExchange(ref _firstMainTicks, now, 0);
        Interlocked.Exchange(ref _lastMainTicks, now);
        if (Interlocked.Increment(ref _main) == total)
        {
            MainDone.TrySetResult();
        }
    }

    public void CountRetried() => Interlocked.Increment(ref _retried);
}

/// <summary>Fails 1 % of the records (<see cref="BenchCounters.Fails"/>) on the main topic and the first two retry tiers; they succeed on the third.</summary>
public sealed class BenchHandler(BenchCounters counters) : IMessageHandler<BenchOrder>
{
    public async ValueTask HandleAsync(BenchOrder message, ConsumeContext context, CancellationToken cancellationToken)
    {
        if (counters.HandlerMs > 0)
        {
            await Task.Delay(counters.HandlerMs, cancellationToken);
        }

        var onMain = string.Equals(context.Topic, counters.MainTopic, StringComparison.Ordinal);
        if (onMain)
        {
            counters.CountMain();
        }

        var failing = counters.Fails(message.Id);
        if (failing && (onMain || !context.Topic.EndsWith("-retry-400", StringComparison.Ordinal)))
        {
            throw new TimeoutException($"order {message.Id}: downstream unavailable");
        }

        if (!onMain)
        {
            counters.CountRetried();
        }
    }
}
