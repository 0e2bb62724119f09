using KafkaPipeline.Building;
using KafkaPipeline.Errors;
using KafkaPipeline.Options;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.DependencyInjection;

/// <summary>Configures one consumer (group); see <see cref="KafkaPipelineBuilder.ConfigureConsumer"/>.</summary>
public sealed class KafkaConsumerBuilder
{
    private readonly KafkaPipelineRegistry _registry;

    internal KafkaConsumerBuilder(string groupId, KafkaPipelineRegistry registry, IServiceCollection services)
    {
        GroupId = groupId;
        _registry = registry;
        Services = services;
    }

    /// <summary>The consumer group being configured.</summary>
    public string GroupId { get; }

    /// <summary>The application's services, for extension methods that register more.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Gives this consumer its own pipeline: the shared pipeline's steps (as they are when the consumer is built at start,
    /// including steps added after this call) followed by the steps <paramref name="configure"/> adds. Calls add up.
    /// </summary>
    public KafkaConsumerBuilder ConfigurePipeline(Action<ConsumePipelineBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        _registry.Consumer(GroupId).Pipeline.Add(configure);
        return this;
    }

    /// <summary>Gives this consumer its own error handler.</summary>
    public KafkaConsumerBuilder UseErrorHandler(Func<IServiceProvider, ConsumerDescriptor, IConsumeErrorHandler> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _registry.Consumer(GroupId).ErrorHandler = factory;
        return this;
    }

    /// <summary>
    /// Sets what this consumer keeps in order and how many records it runs at once (<c>Kafka:Consumers:&lt;group&gt;:Ordering</c>
    /// and <c>MaxConcurrency</c> in code; set after configuration is bound, so it wins over it).
    /// </summary>
    public KafkaConsumerBuilder Ordering(OrderingMode ordering, int? maxConcurrency = null)
    {
        Services.Configure<KafkaPipelineOptions>(o =>
        {
            var consumer = o.Consumer(GroupId);
            consumer.Ordering = ordering;
            consumer.MaxConcurrency = maxConcurrency ?? consumer.MaxConcurrency;
        });
        return this;
    }

    /// <summary>Changes this consumer's options in code (applied after configuration is bound).</summary>
    public KafkaConsumerBuilder Configure(Action<KafkaConsumerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure<KafkaPipelineOptions>(o => configure(o.Consumer(GroupId)));
        return this;
    }
}
