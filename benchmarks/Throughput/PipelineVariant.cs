namespace KafkaPipeline.Benchmarks.Throughput;

/// <summary>What the pipeline run includes. <see cref="Default"/> is the measured one; the others explain it (<c>--breakdown</c>).</summary>
internal enum PipelineVariant
{
    /// <summary>JSON deserialization + in-memory dedup + no-op handler + offset store: the default pipeline.</summary>
    Default,

    /// <summary>JSON deserialization + handler + offset store, no dedup.</summary>
    NoDedup,

    /// <summary>Raw byte[] message (no JSON) + handler + offset store, no dedup: the framework alone.</summary>
    BytesNoDedup,
}
