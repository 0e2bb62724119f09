using KafkaPipeline.Deduplication;
using KafkaPipeline.Deduplication.PostgreSql;
using KafkaPipeline.Deduplication.PostgreSql.DependencyInjection;
using KafkaPipeline.Deduplication.PostgreSql.Inbox;
using KafkaPipeline.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the PostgreSQL deduplication store and transactional inbox (they share options, connection and table).</summary>
public static class PostgreSqlDeduplicationBuilderExtensions
{
    /// <summary>The name the store carries in errors and logs.</summary>
    public const string StoreName = "PostgreSQL";

    /// <summary>
    /// Uses PostgreSQL as the deduplication store, guarded by the resilience pipeline of
    /// <see cref="DeduplicationOptions.Resilience"/> (timeout, retry, circuit breaker), applied to each round trip of the
    /// statements that lanes issue together; expired rows are cleaned up periodically.
    /// </summary>
    public static KafkaPipelineBuilder UsePostgreSqlDeduplication(this KafkaPipelineBuilder builder, Action<PostgreSqlDeduplicationOptions>? configure = null)
    {
        AddShared(builder, configure);
        builder.Services.TryAddSingleton(sp => new PostgreSqlDeduplicationStore(sp.GetRequiredService<DeduplicationTable>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IDeduplicationStore>(sp => new ResilientDeduplicationStore(
            sp.GetRequiredService<PostgreSqlDeduplicationStore>(), StoreName)));
        return builder;
    }

    /// <summary>As <see cref="UsePostgreSqlDeduplication(KafkaPipelineBuilder, Action{PostgreSqlDeduplicationOptions}?)"/>, options bound from <paramref name="configuration"/>.</summary>
    public static KafkaPipelineBuilder UsePostgreSqlDeduplication(this KafkaPipelineBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.UsePostgreSqlDeduplication(configuration.Bind);
    }

    /// <summary>
    /// Registers the transactional inbox's services. Place the step with <c>ConfigurePipeline(p =&gt; p.UsePostgreSqlInbox())</c>
    /// (for all consumers, or per consumer with <c>ConfigureConsumer</c>).
    /// </summary>
    public static KafkaPipelineBuilder AddPostgreSqlInbox(this KafkaPipelineBuilder builder, Action<PostgreSqlDeduplicationOptions>? configure = null)
    {
        AddShared(builder, configure);
        builder.Services.TryAddSingleton(sp => new PostgreSqlInbox(
            sp.GetRequiredService<DeduplicationTable>(),
            sp.GetRequiredService<IOptions<DeduplicationOptions>>().Value.Resilience,
            sp.GetService<TimeProvider>()));
        return builder;
    }

    /// <summary>As <see cref="AddPostgreSqlInbox(KafkaPipelineBuilder, Action{PostgreSqlDeduplicationOptions}?)"/>, options bound from <paramref name="configuration"/>.</summary>
    public static KafkaPipelineBuilder AddPostgreSqlInbox(this KafkaPipelineBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return builder.AddPostgreSqlInbox(configuration.Bind);
    }

    private static void AddShared(KafkaPipelineBuilder builder, Action<PostgreSqlDeduplicationOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<PostgreSqlDeduplicationOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddOptions<DeduplicationOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeduplicationOptions>, DeduplicationOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlDeduplicationOptions>, PostgreSqlDeduplicationOptionsValidator>());
        services.TryAddSingleton<PostgreSqlDeduplicationDataSource>();
        services.TryAddSingleton(sp => new DeduplicationTable(
            sp.GetRequiredService<PostgreSqlDeduplicationDataSource>().DataSource,
            sp.GetRequiredService<IOptions<PostgreSqlDeduplicationOptions>>().Value,
            sp.GetService<TimeProvider>(),

            // The store's statements of all lanes go in batches; each round trip runs in the resilience pipeline.
            DeduplicationResilience.CreatePipeline(
                sp.GetRequiredService<IOptions<DeduplicationOptions>>().Value.Resilience,
                PostgreSqlTransientErrors.IsTransient,
                sp.GetService<TimeProvider>(),
                ResilientDeduplicationStore.PipelineName(StoreName))));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PostgreSqlDeduplicationCleanupService>());
    }
}
