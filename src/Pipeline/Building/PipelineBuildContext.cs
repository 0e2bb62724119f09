namespace KafkaPipeline.Building;

/// <summary>What a pipeline component may use when it is created at start: root services and its consumer.</summary>
public sealed class PipelineBuildContext(IServiceProvider services, ConsumerDescriptor consumer)
{
    public IServiceProvider Services { get; } = services;

    public ConsumerDescriptor Consumer { get; } = consumer;
}
