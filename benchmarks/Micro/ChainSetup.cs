using System.Text;
using Confluent.Kafka;
using KafkaPipeline.Building;
using KafkaPipeline.Errors;
using KafkaPipeline.Handlers;
using KafkaPipeline.Options;
using KafkaPipeline.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaPipeline.Benchmarks;

/// <summary>Composes pipelines exactly as the consumer host does at start, for one topic and a byte[] handler.</summary>
internal sealed class ChainSetup
{
    public const string Topic = "bench-orders";
    public const string GroupId = "bench";

    public ChainSetup(Type handlerType, Type messageType, IMessageDeserializer deserializer)
    {
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.AddKafkaPipeline(o => o.BootstrapServers = "localhost:9092").UseInMemoryDeduplication();
        services.AddScoped(handlerType);
        Services = services.BuildServiceProvider();
        Scopes = Services.GetRequiredService<IServiceScopeFactory>();

        var handler = new HandlerDescriptor(handlerType, messageType, Topic, GroupId, messageType.Name, acceptsNull: false) { Deserializer = deserializer };
        Consumer = new ConsumerDescriptor(GroupId, [handler], new KafkaConsumerOptions(), "message-type");
        ErrorHandler = new RetryingErrorHandler(NullLogger<RetryingErrorHandler>.Instance);
    }

    public ServiceProvider Services { get; }

    public IServiceScopeFactory Scopes { get; }

    public ConsumerDescriptor Consumer { get; }

    public IConsumeErrorHandler ErrorHandler { get; }

    public ConsumeDelegate Build(Action<ConsumePipelineBuilder> configure)
    {
        var builder = new ConsumePipelineBuilder();
        configure(builder);
        return builder.Build(new PipelineBuildContext(Services, Consumer));
    }

    public static ConsumeResult<byte[]?, byte[]?> Record(byte[] value) => new()
    {
        Topic = Topic,
        Partition = 3,
        Offset = 0,
        Message = new Message<byte[]?, byte[]?>
        {
            Key = Encoding.UTF8.GetBytes("order-00000042"),
            Value = value,
            Headers = [],
            Timestamp = new Timestamp(DateTime.UnixEpoch.AddDays(1), TimestampType.CreateTime),
        },
    };
}
