using KafkaPipeline.Building;
using KafkaPipeline.Errors;
using KafkaPipeline.Handlers;

namespace KafkaPipeline.DependencyInjection;

/// <summary>What Program.cs registered: handlers, pipelines and error handlers. Filled before the host starts.</summary>
internal sealed class KafkaPipelineRegistry
{
    public List<HandlerRegistration> Handlers { get; } = [];

    /// <summary>The section AddKafkaPipeline was bound to, if any (satellite packages read their sub-sections from it).</summary>
    public Microsoft.Extensions.Configuration.IConfiguration? Configuration { get; set; }

    /// <summary>
    /// Sections under the pipeline's section that another package binds (e.g. <c>ErrorHandling</c>), so the strict check of
    /// <c>Kafka</c> does not report them as unknown: at the top, and under <c>Consumers:&lt;group&gt;</c>.
    /// </summary>
    public HashSet<string> ForeignSections { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc cref="ForeignSections"/>
    public HashSet<string> ForeignConsumerSections { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ConsumePipelineBuilder Pipeline { get; } = new();

    public Func<IServiceProvider, ConsumerDescriptor, IConsumeErrorHandler>? ErrorHandler { get; set; }

    public Dictionary<string, ConsumerSetup> Consumers { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Run at start, before the handlers are validated and grouped into consumers: satellite packages add derived
    /// registrations (e.g. retry-topic consumers) and per-consumer setups here, and report problems into the error list.
    /// </summary>
    public List<Action<IServiceProvider, KafkaPipeline.Options.KafkaPipelineOptions, List<string>>> BeforeBuild { get; } = [];

    public ConsumerSetup Consumer(string groupId)
    {
        if (!Consumers.TryGetValue(groupId, out var setup))
        {
            Consumers[groupId] = setup = new ConsumerSetup();
        }

        return setup;
    }

    /// <summary>
    /// The pipeline of <paramref name="groupId"/>, resolved when the consumer is built: the shared steps as they are now
    /// (also those added after <c>ConfigureConsumer</c>), then the consumer's own.
    /// </summary>
    public ConsumePipelineBuilder PipelineFor(string groupId)
    {
        if (!Consumers.TryGetValue(groupId, out var setup) || setup.Pipeline.Count == 0)
        {
            return Pipeline;
        }

        var pipeline = Pipeline.Clone();
        foreach (var configure in setup.Pipeline)
        {
            configure(pipeline);
        }

        return pipeline;
    }

    public Func<IServiceProvider, ConsumerDescriptor, IConsumeErrorHandler>? ErrorHandlerFor(string groupId) =>
        Consumers.TryGetValue(groupId, out var setup) && setup.ErrorHandler is not null ? setup.ErrorHandler : ErrorHandler;
}

/// <summary>Per-consumer overrides.</summary>
internal sealed class ConsumerSetup
{
    /// <summary>The consumer's own pipeline steps, applied over the shared ones when the consumer is built.</summary>
    public List<Action<ConsumePipelineBuilder>> Pipeline { get; } = [];

    public Func<IServiceProvider, ConsumerDescriptor, IConsumeErrorHandler>? ErrorHandler { get; set; }
}
