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

    public ConsumePipelineBuilder PipelineFor(string groupId) =>
        Consumers.TryGetValue(groupId, out var setup) && setup.Pipeline is not null ? setup.Pipeline : Pipeline;

    public Func<IServiceProvider, ConsumerDescriptor, IConsumeErrorHandler>? ErrorHandlerFor(string groupId) =>
        Consumers.TryGetValue(groupId, out var setup) && setup.ErrorHandler is not null ? setup.ErrorHandler : ErrorHandler;
}

/// <summary>Per-consumer overrides.</summary>
internal sealed class ConsumerSetup
{
    public ConsumePipelineBuilder? Pipeline { get; set; }

    public Func<IServiceProvider, ConsumerDescriptor, IConsumeErrorHandler>? ErrorHandler { get; set; }
}
