namespace KafkaPipeline.Benchmarks.Throughput;

/// <summary>What a pipeline run includes. <see cref="Default"/> and <see cref="BytesNoDedup"/> run every round.</summary>
internal enum PipelineVariant
{
    /// <summary>The default pipeline: JSON deserialization + handler + watermark commit; Partition ordering, 16 in flight; no dedup.</summary>
    Default,

    /// <summary>Raw byte[] message (no JSON) + handler, no dedup: the framework alone, compared with the raw loop.</summary>
    BytesNoDedup,

    /// <summary>(<c>--breakdown</c>) the default pipeline with Key ordering and 64 in flight.</summary>
    KeyOrdering,
}
