using KafkaPipeline.Deduplication;
using KafkaPipeline.Middleware;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.Building;

/// <summary>
/// Orders the pipeline's middleware; composed once per consumer at start. Built-in steps not placed
/// explicitly go to their default places: deserialization first, deduplication right after it (only when the
/// application registered a deduplication store, or placed the step), the handler last. Custom middleware added with <c>Use</c> therefore runs just before the handler unless
/// placed around explicit built-ins, e.g. <c>Use(a).UseDeserialization().Use(b).UseDeduplication().UseHandler()</c>.
/// </summary>
public sealed class ConsumePipelineBuilder
{
    private readonly List<Step> _steps = [];
    /// <summary>Null: deduplication when a store is registered; true: placed (a store is required); false: removed.</summary>
    private bool? _deduplication;

    /// <summary>Adds inline middleware.</summary>
    public ConsumePipelineBuilder Use(Func<ConsumeContext, ConsumeDelegate, ValueTask> middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        return Add(StepKind.Custom, _ => next => context => middleware(context, next));
    }

    /// <summary>Adds a middleware instance.</summary>
    public ConsumePipelineBuilder UseMiddleware(IConsumeMiddleware middleware)
    {
        ArgumentNullException.ThrowIfNull(middleware);
        return Add(StepKind.Custom, _ => next => context => middleware.InvokeAsync(context, next));
    }

    /// <summary>Adds middleware created once per consumer at start; its constructor may take services and the <see cref="ConsumerDescriptor"/>.</summary>
    public ConsumePipelineBuilder UseMiddleware<TMiddleware>()
        where TMiddleware : IConsumeMiddleware =>
        Add(StepKind.Custom, build => Wrap(Create<TMiddleware>(build)));

    /// <summary>Places the deserialization step (selects the handler and deserializes the value).</summary>
    public ConsumePipelineBuilder UseDeserialization() =>
        Add(StepKind.Deserialization, build => Wrap(new DeserializationMiddleware(build.Consumer)));

    /// <summary>Places the deduplication step.</summary>
    public ConsumePipelineBuilder UseDeduplication()
    {
        _deduplication = true;
        return Add(StepKind.Deduplication, CreateDeduplication);
    }

    /// <summary>
    /// Fills the deduplication slot with another step (e.g. a transactional inbox), placed here — or where the
    /// slot already is, when <see cref="UseDeduplication()"/> was called before.
    /// </summary>
    public ConsumePipelineBuilder UseDeduplication(Func<PipelineBuildContext, IConsumeMiddleware> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var index = _steps.FindIndex(s => s.Kind == StepKind.Deduplication);
        var step = new Step(StepKind.Deduplication, build => Wrap(factory(build)));
        _deduplication = true;
        if (index >= 0)
        {
            _steps[index] = step;
        }
        else
        {
            _steps.Add(step);
        }

        return this;
    }

    /// <summary>Removes the deduplication step.</summary>
    public ConsumePipelineBuilder WithoutDeduplication()
    {
        _deduplication = false;
        _steps.RemoveAll(s => s.Kind == StepKind.Deduplication);
        return this;
    }

    /// <summary>Places the handler step.</summary>
    public ConsumePipelineBuilder UseHandler() => Add(StepKind.Handler, build => Wrap(new HandlerMiddleware(build.Consumer)));

    internal ConsumePipelineBuilder Clone()
    {
        var copy = new ConsumePipelineBuilder { _deduplication = _deduplication };
        copy._steps.AddRange(_steps);
        return copy;
    }

    internal ConsumeDelegate Build(PipelineBuildContext context)
    {
        var steps = new List<Step>(_steps);
        if (!steps.Exists(s => s.Kind == StepKind.Deserialization))
        {
            steps.Insert(0, new Step(StepKind.Deserialization, build => Wrap(new DeserializationMiddleware(build.Consumer))));
        }

        var wanted = _deduplication ?? context.Services.GetService<IDeduplicationStore>() is not null;
        if (wanted && !steps.Exists(s => s.Kind == StepKind.Deduplication))
        {
            steps.Insert(steps.FindIndex(s => s.Kind == StepKind.Deserialization) + 1, new Step(StepKind.Deduplication, CreateDeduplication));
        }

        if (!steps.Exists(s => s.Kind == StepKind.Handler))
        {
            steps.Add(new Step(StepKind.Handler, build => Wrap(new HandlerMiddleware(build.Consumer))));
        }

        ConsumeDelegate pipeline = static _ => ValueTask.CompletedTask;
        for (var i = steps.Count - 1; i >= 0; i--)
        {
            pipeline = steps[i].Create(context)(pipeline);
        }

        return pipeline;
    }

    private ConsumePipelineBuilder Add(StepKind kind, Func<PipelineBuildContext, Func<ConsumeDelegate, ConsumeDelegate>> create)
    {
        if (kind != StepKind.Custom && _steps.Exists(s => s.Kind == kind))
        {
            throw new InvalidOperationException($"The {kind} step is already placed in this pipeline; place each built-in step once.");
        }

        _steps.Add(new Step(kind, create));
        return this;
    }

    private static TMiddleware Create<TMiddleware>(PipelineBuildContext build)
    {
        // ActivatorUtilities rejects arguments no constructor takes, so pass the descriptor only when wanted.
        var wantsConsumer = typeof(TMiddleware).GetConstructors()
            .Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(ConsumerDescriptor)));
        return wantsConsumer
            ? ActivatorUtilities.CreateInstance<TMiddleware>(build.Services, build.Consumer)
            : ActivatorUtilities.CreateInstance<TMiddleware>(build.Services);
    }

    private static Func<ConsumeDelegate, ConsumeDelegate> Wrap(IConsumeMiddleware middleware) =>
        next => context => middleware.InvokeAsync(context, next);

    private static Func<ConsumeDelegate, ConsumeDelegate> CreateDeduplication(PipelineBuildContext build)
    {
        var store = build.Services.GetService<IDeduplicationStore>() ?? throw new InvalidOperationException(
            $"The pipeline of group '{build.Consumer.GroupId}' places the deduplication step, but no deduplication store is registered. "
            + "Fix: call UseInMemoryDeduplication(), UseRedisDeduplication(...) or UsePostgreSqlDeduplication(...) on AddKafkaPipeline(...), "
            + "or remove UseDeduplication().");
        var options = build.Services.GetRequiredService<IOptions<DeduplicationOptions>>().Value;
        var logger = build.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KafkaPipeline.Deduplication");
        if (options.KeySelector is null)
        {
            Diagnostics.Log.DeduplicationByCoordinates(logger, build.Consumer.GroupId, options.HeaderName);
        }

        return Wrap(new DeduplicationMiddleware(store, options, logger));
    }

    private enum StepKind
    {
        Custom,
        Deserialization,
        Deduplication,
        Handler,
    }

    private sealed record Step(StepKind Kind, Func<PipelineBuildContext, Func<ConsumeDelegate, ConsumeDelegate>> Create);
}
