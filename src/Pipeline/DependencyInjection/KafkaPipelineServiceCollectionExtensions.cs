using KafkaPipeline.Configuration;
using KafkaPipeline.Consuming;
using KafkaPipeline.DependencyInjection;
using KafkaPipeline.Deduplication;
using KafkaPipeline.Health;
using KafkaPipeline.Options;
using KafkaPipeline.Serialization;
using KafkaPipeline.Telemetry;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers KafkaPipeline. Calling it again returns a builder over the same registrations.</summary>
public static class KafkaPipelineServiceCollectionExtensions
{
    /// <summary>Adds KafkaPipeline with options bound from <paramref name="configuration"/> (the <c>Kafka</c> section).</summary>
    public static KafkaPipelineBuilder AddKafkaPipeline(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddKafkaPipeline();
        builder.Registry.Configuration = configuration;
        services.AddSingleton<IConfigureOptions<KafkaPipelineOptions>>(new ConfigurationBinding<KafkaPipelineOptions>(configuration));
        services.AddSingleton<IConfigureOptions<DeduplicationOptions>>(new ConfigurationBinding<DeduplicationOptions>(configuration.GetSection("Deduplication")));
        return builder;
    }

    /// <summary>Adds KafkaPipeline, configured in code.</summary>
    public static KafkaPipelineBuilder AddKafkaPipeline(this IServiceCollection services, Action<KafkaPipelineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var registry = (KafkaPipelineRegistry?)services.FirstOrDefault(d => d.ServiceType == typeof(KafkaPipelineRegistry))?.ImplementationInstance;
        if (registry is null)
        {
            registry = new KafkaPipelineRegistry();
            services.AddSingleton(registry);
            services.AddSingleton(new MessageDeserializerRegistry());
            services.AddOptions<KafkaPipelineOptions>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaPipelineOptions>, KafkaPipelineOptionsValidator>());
            services.AddOptions<DeduplicationOptions>().ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeduplicationOptions>, DeduplicationOptionsValidator>());
            services.AddOptions<JsonSerializerSettings>();
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton<KafkaConsumerMonitor>();
            services.AddHostedService<KafkaConsumersHostedService>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaPipelineOptions>, KafkaHealthOptionsValidator>());
            services.TryAddSingleton(sp => new PipelineMetrics(sp.GetRequiredService<KafkaConsumerMonitor>(), sp.GetService<IMeterFactory>()));
            services.AddHealthChecks()
                .AddTypeActivatedCheck<KafkaPipelineHealthCheck>(KafkaPipelineHealthCheck.LiveName, null, [KafkaPipelineHealthCheck.LiveTag, "kafka"], KafkaHealthScope.Liveness)
                .AddTypeActivatedCheck<KafkaPipelineHealthCheck>(KafkaPipelineHealthCheck.ReadyName, null, [KafkaPipelineHealthCheck.ReadyTag, "kafka"], KafkaHealthScope.Readiness);
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return new KafkaPipelineBuilder(services, registry);
    }
}
