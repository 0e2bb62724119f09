using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaPipeline.Diagnostics;
using KafkaPipeline.Native;
using KafkaPipeline.Options;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Checklist;

/// <summary>
/// At start, in the background: reads the replication factor (metadata) and the effective <c>min.insync.replicas</c> and
/// <c>unclean.leader.election.enable</c> (DescribeConfigs) of every consumed and dead-letter topic, and warns about each
/// setting that can lose acknowledged records (<see cref="TopicSafetyRules"/>). Where the cluster does not answer
/// DescribeConfigs (librdkafka's mock cluster, restricted ACLs) those checks are skipped with a Debug line.
/// </summary>
internal static class NoLossChecklist
{
    public const string ConsumedRole = "consumed";
    public const string DeadLetterRole = "dead-letter";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(KafkaPipelineOptions options, IReadOnlyCollection<(string Topic, string Role)> topics, ILogger logger, TimeProvider time)
    {
        if (topics.Count == 0)
        {
            return;
        }

        try
        {
            KafkaNativeLibrary.EnsureLoaded();
            var clientLog = new KafkaClientLog(logger, "no-loss checklist admin client", time, LogLevel.Debug);
            var config = new AdminClientConfig(ClientScopes.ForAdmin(options.Client))
            {
                BootstrapServers = options.BootstrapServers,
                ClientId = "kafka-pipeline-checklist",
            };
            using var admin = new AdminClientBuilder(config)
                .SetLogHandler((_, message) => clientLog.OnLog(message))
                .SetErrorHandler((_, error) => clientLog.OnError(error))
                .Build();
            var metadata = await Task.Run(() => admin.GetMetadata(Timeout)).ConfigureAwait(false);
            var replicas = ReplicationFactors(metadata);
            var present = topics.Where(t => replicas.ContainsKey(t.Topic)).ToList();
            foreach (var (topic, role) in topics.Where(t => !replicas.ContainsKey(t.Topic)))
            {
                Log.ChecklistTopicMissing(logger, topic, role);
            }

            var configs = await DescribeAsync(admin, present.Select(t => t.Topic).Distinct(StringComparer.Ordinal), logger).ConfigureAwait(false);
            Report(present.Select(t => TopicSafetyRules.Evaluate(t.Topic, t.Role, replicas[t.Topic], configs?.GetValueOrDefault(t.Topic))), present, configs is not null, logger);
        }
        catch (KafkaException ex)
        {
            Log.ChecklistSkipped(logger, $"the cluster did not answer ({ex.Error.Code}: {ex.Error.Reason})");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ChecklistSkipped(logger, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>Logs every finding as a warning, or one line saying all checked topics passed.</summary>
    internal static void Report(IEnumerable<List<TopicFinding>> perTopic, IReadOnlyCollection<(string Topic, string Role)> topics, bool configsChecked, ILogger logger)
    {
        var any = false;
        foreach (var finding in perTopic.SelectMany(f => f))
        {
            any = true;
            Log.TopicUnsafe(logger, finding.Topic, finding.Role, finding.Problem, finding.Fix);
        }

        if (!any && topics.Count > 0 && configsChecked)
        {
            Log.ChecklistPassed(logger, string.Join(", ", topics.Select(t => $"{t.Topic} ({t.Role})")));
        }
    }

    /// <summary>The smallest replica count over each topic's partitions.</summary>
    private static Dictionary<string, int> ReplicationFactors(Metadata metadata)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var topic in metadata.Topics)
        {
            if (!topic.Error.IsError && topic.Partitions.Count > 0)
            {
                result[topic.Topic] = topic.Partitions.Min(p => p.Replicas.Length);
            }
        }

        return result;
    }

    /// <summary>Effective topic configurations, or null when the cluster does not answer DescribeConfigs.</summary>
    private static async Task<Dictionary<string, IReadOnlyDictionary<string, string?>>?> DescribeAsync(IAdminClient admin, IEnumerable<string> topics, ILogger logger)
    {
        var resources = topics.Select(t => new ConfigResource { Type = ResourceType.Topic, Name = t }).ToList();
        if (resources.Count == 0)
        {
            return [];
        }

        try
        {
            var results = await admin.DescribeConfigsAsync(resources, new DescribeConfigsOptions { RequestTimeout = Timeout }).ConfigureAwait(false);
            return results.ToDictionary(
                r => r.ConfigResource.Name,
                r => (IReadOnlyDictionary<string, string?>)r.Entries.ToDictionary(e => e.Key, e => (string?)e.Value.Value, StringComparer.Ordinal),
                StringComparer.Ordinal);
        }
        catch (KafkaException ex)
        {
            Log.ChecklistConfigsSkipped(logger, $"{ex.Error.Code}: {ex.Error.Reason}");
            return null;
        }
    }
}
