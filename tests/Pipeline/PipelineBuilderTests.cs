using KafkaPipeline.Building;
using KafkaPipeline.Deduplication;
using KafkaPipeline.DependencyInjection;
using KafkaPipeline.Handlers;
using KafkaPipeline.Options;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.Tests;

public sealed class PipelineBuilderTests
{
    [Fact]
    public async Task Build_CustomMiddlewareWithoutBuiltIns_RunsAfterDeduplicationBeforeHandler()
    {
        var trace = new List<string>();
        var (pipeline, services) = Build(p => p.Use(async (ctx, next) =>
        {
            trace.Add($"custom deserialized={ctx.IsDeserialized}");
            await next(ctx);
        }), trace);

        await pipeline(TestRecords.Context(value: "{\"Id\":7}", services: services.CreateScope().ServiceProvider));

        Assert.Equal(["custom deserialized=True", "handler 7"], trace);
    }

    [Fact]
    public async Task Build_MiddlewareBeforeExplicitDeserialization_SeesRawRecord()
    {
        var trace = new List<string>();
        var (pipeline, services) = Build(
            p => p.Use(async (ctx, next) =>
            {
                trace.Add($"outer deserialized={ctx.IsDeserialized}");
                await next(ctx);
                trace.Add("outer after");
            }).UseDeserialization().UseHandler(),
            trace);

        await pipeline(TestRecords.Context(value: "{\"Id\":1}", services: services.CreateScope().ServiceProvider));

        Assert.Equal(["outer deserialized=False", "handler 1", "outer after"], trace);
    }

    [Fact]
    public async Task Build_UseMiddlewareOfT_CreatesOnceWithConsumerDescriptor()
    {
        var trace = new List<string>();
        var (pipeline, services) = Build(p => p.UseMiddleware<GroupTagMiddleware>(), trace);

        await pipeline(TestRecords.Context(value: "{\"Id\":2}", services: services.CreateScope().ServiceProvider));
        await pipeline(TestRecords.Context(offset: 1, value: "{\"Id\":3}", services: services.CreateScope().ServiceProvider));

        Assert.Equal(["tag billing #1", "handler 2", "tag billing #1", "handler 3"], trace);
    }

    [Fact]
    public async Task Build_UseMiddlewareOfT_WithoutDescriptorParameter_IsCreatedFromServices()
    {
        var trace = new List<string>();
        var (pipeline, services) = Build(p => p.UseMiddleware<ServicesOnlyMiddleware>(), trace);

        await pipeline(TestRecords.Context(value: "{\"Id\":4}", services: services.CreateScope().ServiceProvider));

        Assert.Equal(["services only", "handler 4"], trace);
    }

    [Fact]
    public async Task Build_DuplicateRecord_SkipsHandlerButCompletesPipeline()
    {
        var trace = new List<string>();
        var (pipeline, services) = Build(p => { }, trace);
        var headers = new Confluent.Kafka.Headers { { "message-id", "m-1"u8.ToArray() } };

        await pipeline(TestRecords.Context(offset: 0, value: "{\"Id\":1}", headers: headers, services: services.CreateScope().ServiceProvider));
        var second = TestRecords.Context(offset: 1, value: "{\"Id\":1}", headers: headers, services: services.CreateScope().ServiceProvider);
        await pipeline(second);

        Assert.Equal(["handler 1"], trace);
        Assert.True(second.IsDuplicate);
    }

    [Fact]
    public async Task Build_WithoutDeduplication_HandlesDuplicatesAgain()
    {
        var trace = new List<string>();
        var (pipeline, services) = Build(p => p.WithoutDeduplication(), trace);
        var headers = new Confluent.Kafka.Headers { { "message-id", "m-1"u8.ToArray() } };

        await pipeline(TestRecords.Context(value: "{\"Id\":1}", headers: headers, services: services.CreateScope().ServiceProvider));
        await pipeline(TestRecords.Context(value: "{\"Id\":1}", headers: headers, services: services.CreateScope().ServiceProvider));

        Assert.Equal(["handler 1", "handler 1"], trace);
    }

    [Fact]
    public async Task UseDeduplicationFactory_ReplacesTheSlotInPlace()
    {
        var trace = new List<string>();
        var (pipeline, services) = Build(
            p => p.UseDeserialization().UseDeduplication().Use(async (ctx, next) => { trace.Add("after slot"); await next(ctx); })
                .UseDeduplication(_ => new TraceMiddleware(trace, "custom dedup")),
            trace);

        await pipeline(TestRecords.Context(value: "{\"Id\":5}", services: services.CreateScope().ServiceProvider));

        Assert.Equal(["custom dedup", "after slot", "handler 5"], trace);
    }

    [Fact]
    public async Task Build_NoStoreRegistered_DefaultPipelineHasNoDeduplicationStep()
    {
        var trace = new List<string>();
        var (pipeline, services) = Build(_ => { }, trace, withStore: false);
        var headers = new Confluent.Kafka.Headers { { "message-id", "m-1"u8.ToArray() } };

        await pipeline(TestRecords.Context(value: "{\"Id\":1}", headers: headers, services: services.CreateScope().ServiceProvider));
        await pipeline(TestRecords.Context(offset: 1, value: "{\"Id\":1}", headers: headers, services: services.CreateScope().ServiceProvider));

        Assert.Equal(["handler 1", "handler 1"], trace); // nobody asked for deduplication: no cost, nothing skipped
    }

    [Fact]
    public void Build_DeduplicationPlacedWithoutAStore_ThrowsNamingTheFix()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Build(p => p.UseDeduplication(), [], withStore: false));

        Assert.Contains("no deduplication store is registered", ex.Message, StringComparison.Ordinal);
        Assert.Contains("UseInMemoryDeduplication()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_InMemoryStoreRecordWithoutMessageId_NoEntryKept()
    {
        var trace = new List<string>();
        var (pipeline, services) = Build(_ => { }, trace);

        await pipeline(TestRecords.Context(value: "{\"Id\":1}", services: services.CreateScope().ServiceProvider));

        Assert.Equal(["handler 1"], trace);
        Assert.Equal(0, ((InMemoryDeduplicationStore)services.GetRequiredService<IDeduplicationStore>()).Count);
    }

    [Fact]
    public void UseDeserialization_PlacedTwice_Throws()
    {
        var builder = new ConsumePipelineBuilder().UseDeserialization();

        var ex = Assert.Throws<InvalidOperationException>(() => builder.UseDeserialization());

        Assert.Contains("already placed", ex.Message);
    }

    internal static (ConsumeDelegate Pipeline, ServiceProvider Services) Build(Action<ConsumePipelineBuilder> configure, List<string> trace, bool withStore = true)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(trace);
        services.AddScoped<TraceHandler>();
        services.AddOptions<DeduplicationOptions>();
        if (withStore)
        {
            services.AddSingleton<IDeduplicationStore>(sp => new InMemoryDeduplicationStore(sp.GetRequiredService<IOptions<DeduplicationOptions>>()));
        }

        var provider = services.BuildServiceProvider();
        var consumer = Consumer<TraceHandler>(provider);
        var builder = new ConsumePipelineBuilder();
        configure(builder);
        return (builder.Build(new PipelineBuildContext(provider, consumer)), provider);
    }

    internal static ConsumerDescriptor Consumer<THandler>(IServiceProvider services, string topic = "orders")
    {
        var errors = new List<string>();
        var consumers = HandlerCatalog.Build(
            new KafkaPipelineOptions { BootstrapServers = "127.0.0.1:9092" },
            [new HandlerRegistration(typeof(THandler), topic, "billing", null, null, "test")],
            _ => false,
            errors);
        Assert.Empty(errors);
        foreach (var handler in consumers[0].Handlers)
        {
            handler.Deserializer = Serialization.DeserializerSelector.Select(handler.MessageType, services, new System.Text.Json.JsonSerializerOptions());
        }

        return consumers[0];
    }

    public sealed record Order(int Id);

    public sealed class TraceHandler(List<string> trace) : IMessageHandler<Order>
    {
        public ValueTask HandleAsync(Order message, ConsumeContext context, CancellationToken cancellationToken)
        {
            trace.Add($"handler {message.Id}");
            return ValueTask.CompletedTask;
        }
    }

    public sealed class TraceMiddleware(List<string> trace, string name) : IConsumeMiddleware
    {
        public ValueTask InvokeAsync(ConsumeContext context, ConsumeDelegate next)
        {
            trace.Add(name);
            return next(context);
        }
    }

    public sealed class ServicesOnlyMiddleware(List<string> trace) : IConsumeMiddleware
    {
        public ValueTask InvokeAsync(ConsumeContext context, ConsumeDelegate next)
        {
            trace.Add("services only");
            return next(context);
        }
    }

    public sealed class GroupTagMiddleware(ConsumerDescriptor consumer, List<string> trace) : IConsumeMiddleware
    {
        private static int _instances;
        private readonly int _instance = Interlocked.Increment(ref _instances);

        public ValueTask InvokeAsync(ConsumeContext context, ConsumeDelegate next)
        {
            trace.Add($"tag {consumer.GroupId} #{_instance}");
            return next(context);
        }
    }
}
