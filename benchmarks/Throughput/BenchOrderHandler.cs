namespace KafkaPipeline.Benchmarks.Throughput;

/// <summary>The no-op handler: it only feeds the tracker that checks every offset arrives once, in order.</summary>
internal sealed class BenchOrderHandler(ConsumeTracker tracker) : IMessageHandler<BenchOrder>
{
    public ValueTask HandleAsync(BenchOrder message, ConsumeContext context, CancellationToken cancellationToken)
    {
        tracker.Record(context.Partition, context.Offset);
        return ValueTask.CompletedTask;
    }
}

/// <summary>The no-op handler of raw bytes (breakdown runs without JSON).</summary>
internal sealed class BenchBytesHandler(ConsumeTracker tracker) : IMessageHandler<byte[]>
{
    public ValueTask HandleAsync(byte[] message, ConsumeContext context, CancellationToken cancellationToken)
    {
        tracker.Record(context.Partition, context.Offset);
        return ValueTask.CompletedTask;
    }
}
