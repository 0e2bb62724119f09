namespace KafkaPipeline.Benchmarks.Memory;

/// <summary>A handler that awaits a fixed latency, like one that writes to a database.</summary>
internal sealed class SlowHandler(SlowHandler.Settings settings) : IMessageHandler<byte[]>
{
    public ValueTask HandleAsync(byte[] message, ConsumeContext context, CancellationToken cancellationToken) =>
        new(Task.Delay(settings.Latency, cancellationToken));

    public sealed record Settings(TimeSpan Latency);
}
