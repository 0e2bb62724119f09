using Confluent.Kafka;
using KafkaPipeline.Diagnostics;
using KafkaPipeline.Native;
using KafkaPipeline.Options;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Consuming;

/// <summary>Builds the librdkafka configuration of a consumer: user settings, then the settings our guarantees need.</summary>
internal static class ConsumerClientFactory
{
    public static ConsumerConfig CreateConfig(KafkaPipelineOptions options, ConsumerDescriptor consumer, ILogger logger)
    {
        var settings = ClientScopes.ForConsumer(options.Client);
        foreach (var (key, value) in consumer.Options.Client)
        {
            settings[key] = value;
        }

        var config = new ConsumerConfig(settings)
        {
            BootstrapServers = options.BootstrapServers,
            GroupId = consumer.GroupId,
        };
        config.AutoOffsetReset ??= consumer.Options.AutoOffsetReset;

        // Never store an offset ahead of the handler: the loop stores it after success.
        Force(config, "enable.auto.offset.store", "false", consumer.GroupId, logger,
            "offsets are stored only after a record was handled");
        var autoCommit = consumer.Options.CommitMode == CommitMode.StoredOffsets ? "true" : "false";
        Force(config, "enable.auto.commit", autoCommit, consumer.GroupId, logger,
            $"commit mode {consumer.Options.CommitMode} decides when offsets are committed");
        if (consumer.Options.CommitMode == CommitMode.StoredOffsets && config.AutoCommitIntervalMs is null)
        {
            config.AutoCommitIntervalMs = (int)consumer.Options.AutoCommitInterval.TotalMilliseconds;
        }

        // A partition resumed after back-pressure is fetched only once the outstanding long-poll fetch of the idle
        // partitions returns; librdkafka's 500 ms default would add up to that much to every resume.
        config.FetchWaitMaxMs ??= 100;

        // Health reads lag and broker states from the client's statistics.
        if (config.StatisticsIntervalMs is null && options.Health.StatisticsInterval > TimeSpan.Zero)
        {
            config.StatisticsIntervalMs = (int)options.Health.StatisticsInterval.TotalMilliseconds;
        }

        return config;
    }

    private static void Force(ConsumerConfig config, string key, string value, string groupId, ILogger logger, string reason)
    {
        var current = config.Get(key);
        if (current is not null && !string.Equals(current, value, StringComparison.OrdinalIgnoreCase))
        {
            Log.RiskySettingOverridden(logger, groupId, key, current, value, reason);
        }

        config.Set(key, value);
    }
}
