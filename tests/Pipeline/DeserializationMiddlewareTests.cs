using System.Text;
using Confluent.Kafka;
using KafkaPipeline.Serialization;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.Tests;

public sealed class DeserializationMiddlewareTests
{
    [Fact]
    public async Task Invoke_MalformedJson_ThrowsDeserializationExceptionWithRawBytesAndCoordinates()
    {
        var (pipeline, services) = PipelineBuilderTests.Build(p => { }, []);
        var context = TestRecords.Context(offset: 42, value: "{not json", services: services.CreateScope().ServiceProvider);

        var ex = await Assert.ThrowsAsync<DeserializationException>(() => pipeline(context).AsTask());

        Assert.Equal("{not json", Encoding.UTF8.GetString(ex.RawValue!));
        Assert.Equal(("orders", 0, 42L), (ex.Topic, ex.Partition, ex.Offset));
        Assert.Equal(typeof(PipelineBuilderTests.Order), ex.TargetType);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(ex.InnerException);
    }

    [Fact]
    public async Task Invoke_TombstoneForNonNullableHandler_ThrowsNamingTheFix()
    {
        var (pipeline, services) = PipelineBuilderTests.Build(p => { }, []);
        var context = TestRecords.Context(value: null, services: services.CreateScope().ServiceProvider);

        var ex = await Assert.ThrowsAsync<DeserializationException>(() => pipeline(context).AsTask());

        Assert.Contains("Order?", ex.Message);
    }

    [Fact]
    public async Task Invoke_TombstoneForNullableHandler_ReachesHandlerAsNull()
    {
        var trace = new List<string>();
        var provider = Services(trace, s => s.AddScoped<NullableHandler>());
        var consumer = PipelineBuilderTests.Consumer<NullableHandler>(provider);
        var pipeline = new Building.ConsumePipelineBuilder().WithoutDeduplication().Build(new Building.PipelineBuildContext(provider, consumer));

        await pipeline(TestRecords.Context(value: null, services: provider.CreateScope().ServiceProvider));

        Assert.Equal(["null"], trace);
    }

    [Fact]
    public async Task Invoke_StringAndByteArrayHandlers_GetRawValue()
    {
        var trace = new List<string>();
        var provider = Services(trace, s => s.AddScoped<TextHandler>().AddScoped<BytesHandler>());
        var text = new Building.ConsumePipelineBuilder().WithoutDeduplication()
            .Build(new Building.PipelineBuildContext(provider, PipelineBuilderTests.Consumer<TextHandler>(provider)));
        var bytes = new Building.ConsumePipelineBuilder().WithoutDeduplication()
            .Build(new Building.PipelineBuildContext(provider, PipelineBuilderTests.Consumer<BytesHandler>(provider)));

        await text(TestRecords.Context(value: "héllo", services: provider.CreateScope().ServiceProvider));
        await bytes(TestRecords.Context(value: "abc", services: provider.CreateScope().ServiceProvider));

        Assert.Equal(["text héllo", "bytes 3"], trace);
    }

    [Fact]
    public async Task Invoke_ConfluentDeserializerRegistered_IsUsed()
    {
        var trace = new List<string>();
        var provider = Services(trace, s => s.AddScoped<PointHandler>().AddSingleton<IDeserializer<Point>>(new PointDeserializer()));
        var pipeline = new Building.ConsumePipelineBuilder().WithoutDeduplication()
            .Build(new Building.PipelineBuildContext(provider, PipelineBuilderTests.Consumer<PointHandler>(provider)));

        await pipeline(TestRecords.Context(value: "3,4", services: provider.CreateScope().ServiceProvider));

        Assert.Equal(["point 3/4"], trace);
    }

    private static ServiceProvider Services(List<string> trace, Action<IServiceCollection> add)
    {
        var services = new ServiceCollection().AddSingleton(trace);
        add(services);
        return services.BuildServiceProvider();
    }

    public sealed class NullableHandler(List<string> trace) : IMessageHandler<PipelineBuilderTests.Order?>
    {
        public ValueTask HandleAsync(PipelineBuilderTests.Order? message, ConsumeContext context, CancellationToken cancellationToken)
        {
            trace.Add(message is null ? "null" : "value");
            return ValueTask.CompletedTask;
        }
    }

    public sealed class TextHandler(List<string> trace) : IMessageHandler<string>
    {
        public ValueTask HandleAsync(string message, ConsumeContext context, CancellationToken cancellationToken)
        {
            trace.Add("text " + message);
            return ValueTask.CompletedTask;
        }
    }

    public sealed class BytesHandler(List<string> trace) : IMessageHandler<byte[]>
    {
        public ValueTask HandleAsync(byte[] message, ConsumeContext context, CancellationToken cancellationToken)
        {
            trace.Add("bytes " + message.Length);
            return ValueTask.CompletedTask;
        }
    }

    public sealed record Point(int X, int Y);

    public sealed class PointDeserializer : IDeserializer<Point>
    {
        public Point Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context)
        {
            var parts = Encoding.UTF8.GetString(data).Split(',');
            return new Point(int.Parse(parts[0]), int.Parse(parts[1]));
        }
    }

    public sealed class PointHandler(List<string> trace) : IMessageHandler<Point>
    {
        public ValueTask HandleAsync(Point message, ConsumeContext context, CancellationToken cancellationToken)
        {
            trace.Add($"point {message.X}/{message.Y}");
            return ValueTask.CompletedTask;
        }
    }
}
