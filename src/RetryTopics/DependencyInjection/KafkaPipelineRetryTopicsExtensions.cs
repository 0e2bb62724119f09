using System.Reflection;
using KafkaPipeline.DependencyInjection;
using KafkaPipeline.Options;
using KafkaPipeline.RetryTopics.Configuration;
using KafkaPipeline.RetryTopics.DependencyInjection;
using KafkaPipeline.RetryTopics.Diagnostics;
using KafkaPipeline.RetryTopics.KeyOrdering;
using KafkaPipeline.RetryTopics.Provisioning;
using KafkaPipeline.RetryTopics.Routing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds non-blocking retry topics (spring-kafka's <c>@RetryableTopic</c>) to a KafkaPipeline application.</summary>
public static class KafkaPipelineRetryTopicsExtensions
{
    /// <summary>
    /// Turns on retry topics for handlers marked <see cref="RetryableTopicAttribute"/>, groups with a
    /// <c>Kafka:RetryTopics:&lt;groupId&gt;</c> section, and what <paramref name="configure"/> names. At start the retry topics
    /// and DLTs are created (or checked), and consumers for them are added; the groups involved get the retry-topic error
    /// handler. Call it after adding the handlers (a DLT handler named in an attribute is registered here). Calls add up.
    /// </summary>
    public static KafkaPipelineBuilder UseRetryTopics(this KafkaPipelineBuilder builder, Action<RetryTopicsBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddDefaultErrorHandling(); // the shared acks=all dead-letter producer forwards along the chains
        builder.Registry.ForeignSections.Add("RetryTopics"); // Kafka:RetryTopics is bound here, not by KafkaPipelineOptions
        var services = builder.Services;
        if (services.FirstOrDefault(d => d.ServiceType == typeof(RetryTopicsRegistration))?.ImplementationInstance is not RetryTopicsRegistration registration)
        {
            registration = new RetryTopicsRegistration();
            services.AddSingleton(registration);
            services.TryAddSingleton<RetryChains>();
            services.TryAddSingleton(sp => new ParkedKeyRegistry(
                new KafkaParkedKeySource(sp.GetRequiredService<IOptions<KafkaPipelineOptions>>().Value, sp.GetRequiredService<RetryTopicsRegistration>().RebuildTimeout),
                sp.GetService<TimeProvider>() ?? TimeProvider.System,
                sp.GetService<ILoggerFactory>()?.CreateLogger<ParkedKeyRegistry>() ?? NullLogger<ParkedKeyRegistry>.Instance));
            var registry = builder.Registry;
            registry.BeforeBuild.Add((sp, settings, errors) => Start(sp, registry, settings, errors));
        }

        foreach (var handler in builder.Registry.Handlers)
        {
            if (handler.HandlerType.GetCustomAttribute<RetryableTopicAttribute>(inherit: true)?.DltHandler is { } dltHandler)
            {
                services.TryAddScoped(dltHandler);
            }
        }

        configure?.Invoke(new RetryTopicsBuilder(registration));
        return builder;
    }

    private static void Start(IServiceProvider services, KafkaPipelineRegistry registry, KafkaPipelineOptions settings, List<string> errors)
    {
        var count = errors.Count;
        RetryTopicRegistrar.Expand(services, registry, settings, errors);
        var chains = services.GetRequiredService<RetryChains>();
        var logger = services.GetService<ILoggerFactory>()?.CreateLogger("KafkaPipeline.RetryTopics") ?? NullLogger.Instance;
        if (errors.Count > count || chains.All.Count == 0)
        {
            return;
        }

        foreach (var chain in chains.All)
        {
            Log.TopologyConfigured(logger, chain.Topology.MainTopic, chain.GroupId, string.Join(", ", chain.Topology.Topics.Skip(1)));
        }

        new TopicProvisioner(settings, services.GetRequiredService<RetryTopicsRegistration>().ProvisioningTimeout, logger).Provision(chains.All, errors);
    }
}
