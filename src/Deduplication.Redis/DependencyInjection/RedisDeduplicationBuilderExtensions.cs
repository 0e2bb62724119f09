using KafkaPipeline.Deduplication;
using KafkaPipeline.Deduplication.Redis;
using KafkaPipeline.Deduplication.Redis.DependencyInjection;
using KafkaPipeline.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis deduplication store.</summary>
public static class RedisDeduplicationBuilderExtensions
{
    /// <summary>The name the store carries in errors and logs.</summary>
    public const string StoreName = "Redis";

    /// <summary>
    /// Uses Redis as the deduplication store, guarded by the resilience pipeline of
    /// <see cref="DeduplicationOptions.Resilience"/> (timeout, retry, circuit breaker), applied to each round trip of the
    /// calls that lanes make together. Options are validated at start.
    /// Calling it again only adds configuration.
    /// </summary>
    public static KafkaPipelineBuilder UseRedisDeduplication(this KafkaPipelineBuilder builder, Action<RedisDeduplicationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<RedisDeduplicationOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddOptions<DeduplicationOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeduplicationOptions>, DeduplicationOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisDeduplicationOptions>, RedisDeduplicationOptionsValidator>());
        services.TryAddSingleton(CreateStore);
        services.Replace(ServiceDescriptor.Singleton<IDeduplicationStore>(sp => new ResilientDeduplicationStore(
            sp.GetRequiredService<RedisDeduplicationStore>(), StoreName)));
        return builder;
    }

    /// <summary>Uses Redis as the deduplication store with options bound from <paramref name="configuration"/> (e.g. <c>Kafka:Deduplication:Redis</c>).</summary>
    public static KafkaPipelineBuilder UseRedisDeduplication(this KafkaPipelineBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.UseRedisDeduplication(configuration.Bind);
    }

    private static RedisDeduplicationStore CreateStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<RedisDeduplicationOptions>>().Value;

        // Each round trip (the calls of all lanes gathered at that moment) runs in the resilience pipeline.
        var resilience = DeduplicationResilience.CreatePipeline(
            services.GetRequiredService<IOptions<DeduplicationOptions>>().Value.Resilience,
            RedisTransientErrors.IsTransient,
            services.GetService<TimeProvider>(),
            ResilientDeduplicationStore.PipelineName(StoreName));
        if (options.ConnectionString is not null)
        {
            return new RedisDeduplicationStore(options, resilience);
        }

        var connection = services.GetService<IConnectionMultiplexer>() ?? throw new InvalidOperationException(
            "The Redis deduplication store has no connection: set RedisDeduplicationOptions.ConnectionString or register an IConnectionMultiplexer in DI.");
        return new RedisDeduplicationStore(connection, options, resilience);
    }
}
