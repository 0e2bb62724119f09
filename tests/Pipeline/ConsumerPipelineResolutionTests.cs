using KafkaPipeline.Building;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static KafkaPipeline.Tests.PipelineBuilderTests;

namespace KafkaPipeline.Tests;

/// <summary>A consumer's own pipeline is the shared pipeline plus its own steps, resolved when the consumer is built.</summary>
public sealed class ConsumerPipelineResolutionTests
{
    [Fact]
    public async Task PipelineFor_SharedStepAddedAfterConfigureConsumer_IsPresent()
    {
        var trace = new List<string>();
        var builder = new ServiceCollection().AddKafkaPipeline()
            .ConfigurePipeline(p => p.UseMiddleware(new TraceMiddleware(trace, "shared before")))
            .ConfigureConsumer("billing", c => c.ConfigurePipeline(p => p.UseMiddleware(new TraceMiddleware(trace, "own"))))
            .ConfigurePipeline(p => p.UseMiddleware(new TraceMiddleware(trace, "shared after")));

        await Run(builder.Registry.PipelineFor("billing"), trace);

        Assert.Equal(["shared before", "shared after", "own", "handler 5"], trace);
    }

    [Fact]
    public async Task PipelineFor_OtherConsumer_GetsSharedStepsOnly()
    {
        var trace = new List<string>();
        var builder = new ServiceCollection().AddKafkaPipeline()
            .ConfigureConsumer("billing", c => c.ConfigurePipeline(p => p.UseMiddleware(new TraceMiddleware(trace, "own"))))
            .ConfigurePipeline(p => p.UseMiddleware(new TraceMiddleware(trace, "shared")));

        await Run(builder.Registry.PipelineFor("audit"), trace);

        Assert.Equal(["shared", "handler 5"], trace);
    }

    [Fact]
    public async Task ConfigurePipeline_CalledTwiceForAConsumer_StepsAddUpAndSharedPipelineIsUntouched()
    {
        var trace = new List<string>();
        var builder = new ServiceCollection().AddKafkaPipeline()
            .ConfigureConsumer("billing", c => c
                .ConfigurePipeline(p => p.UseMiddleware(new TraceMiddleware(trace, "own 1")))
                .ConfigurePipeline(p => p.UseMiddleware(new TraceMiddleware(trace, "own 2"))));

        await Run(builder.Registry.PipelineFor("billing"), trace);
        await Run(builder.Registry.PipelineFor("billing"), trace);
        await Run(builder.Registry.Pipeline, trace);

        Assert.Equal(["own 1", "own 2", "handler 5", "own 1", "own 2", "handler 5", "handler 5"], trace);
    }

    private static async Task Run(ConsumePipelineBuilder builder, List<string> trace)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(trace);
        services.AddScoped<TraceHandler>();
        await using var provider = services.BuildServiceProvider();
        var pipeline = builder.Build(new PipelineBuildContext(provider, Consumer<TraceHandler>(provider)));

        await pipeline(TestRecords.Context(value: "{\"Id\":5}", services: provider.CreateScope().ServiceProvider));
    }
}
