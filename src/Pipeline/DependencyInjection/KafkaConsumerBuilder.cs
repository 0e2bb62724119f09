using KafkaPipeline.Building;
using KafkaPipeline.Errors;
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

    public string GroupId { get; }

    public IServiceCollection Services { get; }

    /// <summary>Gives this consumer its own pipeline, starting from a copy of the shared one.</summary>
    public KafkaConsumerBuilder ConfigurePipeline(Action<ConsumePipelineBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var setup = _registry.Consumer(GroupId);
        setup.Pipeline ??= _registry.Pipeline.Clone();
        configure(setup.Pipeline);
        return this;
    }

    /// <summary>Gives this consumer its own error handler.</summary>
    public KafkaConsumerBuilder UseErrorHandler(Func<IServiceProvider, ConsumerDescriptor, IConsumeErrorHandler> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _registry.Consumer(GroupId).ErrorHandler = factory;
        return this;
    }
}
