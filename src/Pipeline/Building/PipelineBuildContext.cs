namespace KafkaPipeline.Building;

/// <summary>What a pipeline component may use when it is created at start: root services and its consumer.</summary>
public sealed class PipelineBuildContext(IServiceProvider services, ConsumerDescriptor consumer)
{
    /// <summary>The application's root services, for middleware created at start.</summary>
    public IServiceProvider Services { get; } = services;

    /// <summary>The consumer whose pipeline is being built.</summary>
    public ConsumerDescriptor Consumer { get; } = consumer;
}
