using Confluent.Kafka;
using Confluent.Kafka.Admin;
using KafkaPipeline.Native;
using KafkaPipeline.Options;
using KafkaPipeline.RetryTopics.Diagnostics;
using KafkaPipeline.RetryTopics.Routing;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.RetryTopics.Provisioning;

/// <summary>
/// At start, makes sure every retry topic and DLT exists (spring-kafka's <c>autoCreateTopics</c>): reads the cluster's
/// metadata, creates the missing topics through the admin client when <c>AutoCreateTopics</c> is on (partitions:
/// <c>NumPartitions</c>, else the main topic's count; replication: <c>ReplicationFactor</c>), and otherwise reports each
/// missing one with the fix. A key-ordered chain also needs every retry topic to have the main topic's partition count.
/// Note: librdkafka's mock cluster (EmbeddedKafkaCluster) does not serve CreateTopics; create topics there with
/// <c>EmbeddedKafkaCluster.CreateTopic</c> (or let it auto-create them) and set <c>AutoCreateTopics</c> false.
/// </summary>
internal sealed class TopicProvisioner(KafkaPipelineOptions options, TimeSpan timeout, ILogger logger)
{
    public void Provision(IReadOnlyList<RetryChain> chains, List<string> errors)
    {
        if (chains.Count == 0 || string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            return;
        }

        KafkaNativeLibrary.EnsureLoaded();
        using var admin = new AdminClientBuilder(new AdminClientConfig(ClientScopes.ForAdmin(options.Client))
        {
            BootstrapServers = options.BootstrapServers,
        }).Build();
        var metadata = admin.GetMetadata(timeout);
        var counts = metadata.Topics.Where(t => !t.Error.IsError).ToDictionary(t => t.Topic, t => t.Partitions.Count, StringComparer.Ordinal);
        var toCreate = new Dictionary<string, TopicSpecification>(StringComparer.Ordinal);
        foreach (var chain in chains)
        {
            var path = $"Kafka:RetryTopics:{chain.GroupId} (topic '{chain.Topology.MainTopic}')";
            var mainCount = counts.GetValueOrDefault(chain.Topology.MainTopic);
            var partitions = chain.Options.NumPartitions ?? (mainCount > 0 ? mainCount : 0);
            if (partitions == 0)
            {
                errors.Add($"{path}: the main topic '{chain.Topology.MainTopic}' does not exist, so the retry topics' partition count is unknown. "
                    + "Fix: create the main topic first, or set NumPartitions.");
                continue;
            }

            foreach (var topic in chain.Topology.Topics.Skip(1))
            {
                if (counts.TryGetValue(topic.Name, out var existing))
                {
                    if (chain.Options.KeyOrdered && topic.IsRetry && existing != mainCount)
                    {
                        errors.Add($"{path}: retry topic '{topic.Name}' has {existing} partition(s) but the main topic has {mainCount}; key-ordered retry topics need the same count "
                            + "(partition p of every topic is owned by one member). Fix: recreate the retry topic with the main topic's count, or turn KeyOrdered off.");
                    }
                }
                else if (chain.Options.AutoCreateTopics)
                {
                    toCreate.TryAdd(topic.Name, new TopicSpecification { Name = topic.Name, NumPartitions = partitions, ReplicationFactor = chain.Options.ReplicationFactor });
                }
                else
                {
                    errors.Add($"{path}: topic '{topic.Name}' does not exist and AutoCreateTopics is false. "
                        + $"Fix: create it with {partitions} partition(s), or set AutoCreateTopics to true.");
                }
            }
        }

        if (toCreate.Count > 0)
        {
            Create(admin, [.. toCreate.Values], errors);
        }
    }

    private void Create(IAdminClient admin, List<TopicSpecification> topics, List<string> errors)
    {
        try
        {
            admin.CreateTopicsAsync(topics, new CreateTopicsOptions { RequestTimeout = timeout, OperationTimeout = timeout })
                .WaitAsync(timeout + TimeSpan.FromSeconds(1)).GetAwaiter().GetResult();
            foreach (var topic in topics)
            {
                Log.TopicCreated(logger, topic.Name, topic.NumPartitions, topic.ReplicationFactor);
            }
        }
        catch (CreateTopicsException ex)
        {
            foreach (var result in ex.Results.Where(r => r.Error.IsError && r.Error.Code != ErrorCode.TopicAlreadyExists))
            {
                errors.Add($"Creating retry topic '{result.Topic}' failed: {result.Error.Code} ({result.Error.Reason}). "
                    + "Fix: grant the CreateTopics permission or create the topic yourself and set AutoCreateTopics to false.");
            }
        }
        catch (Exception ex) when (ex is KafkaException or TimeoutException)
        {
            errors.Add($"Creating retry topics {string.Join(", ", topics.Select(t => $"'{t.Name}'"))} failed: {ex.Message}. "
                + "Fix: check the admin client's access to the cluster, or create the topics yourself and set AutoCreateTopics to false.");
        }
    }
}
