namespace KafkaPipeline.Benchmarks;

/// <summary>A handler that does nothing: the chain's own cost is what is measured.</summary>
public sealed class NoopBytesHandler : IMessageHandler<byte[]>
{
    public ValueTask HandleAsync(byte[] message, ConsumeContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>A custom middleware that only calls the next step.</summary>
public sealed class NoopMiddleware : IConsumeMiddleware
{
    public ValueTask InvokeAsync(ConsumeContext context, ConsumeDelegate next) => next(context);
}

/// <summary>Source-generated System.Text.Json metadata for the benchmark record, with the library's web defaults.</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(KafkaPipeline.Benchmarks.Throughput.BenchOrder))]
internal sealed partial class BenchJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
