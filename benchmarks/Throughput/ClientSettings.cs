namespace KafkaPipeline.Benchmarks.Throughput;

/// <summary>librdkafka settings given to both consumers alike (raw loop and pipeline).</summary>
internal static class ClientSettings
{
    /// <summary>
    /// <c>fetch.wait.max.ms</c>: the pipeline's default, so the raw loop fetches the same way.
    /// <c>fetch.queue.backoff.ms</c> (default 1000): when a consumer falls behind its fetcher by
    /// <c>queued.min.messages</c> (100,000) records, librdkafka stops fetching for this long. Whichever loop is
    /// slower then sits idle for up to a second with an empty queue, which measures the back-off, not the loop.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Consumer = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["fetch.queue.backoff.ms"] = Environment.GetEnvironmentVariable("BENCH_FETCH_QUEUE_BACKOFF_MS") ?? "20",

        // KafkaPipeline's own default (librdkafka's is 500 ms); given to the raw loop too so both fetch alike.
        ["fetch.wait.max.ms"] = "100",
    };
}
