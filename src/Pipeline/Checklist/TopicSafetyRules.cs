using System.Globalization;

namespace KafkaPipeline.Checklist;

/// <summary>One setting of a topic that can lose acknowledged records, with the fix.</summary>
internal sealed record TopicFinding(string Topic, string Role, string Problem, string Fix);

/// <summary>
/// The no-loss rules for a topic the application consumes or dead-letters to. A record acknowledged with acks=all
/// survives a broker failure only when the topic has at least 3 replicas, at least 2 of them must acknowledge
/// (<c>min.insync.replicas</c> ≥ 2), and an out-of-sync replica never becomes leader
/// (<c>unclean.leader.election.enable=false</c>). Pure decisions over the values read from the cluster.
/// </summary>
internal static class TopicSafetyRules
{
    public const int MinReplicationFactor = 3;
    public const int MinInSyncReplicas = 2;
    public const string MinInSyncReplicasKey = "min.insync.replicas";
    public const string UncleanLeaderElectionKey = "unclean.leader.election.enable";

    /// <param name="topic">The topic.</param>
    /// <param name="role">"consumed" or "dead-letter".</param>
    /// <param name="replicationFactor">Replicas of its partitions (the smallest), null when unknown.</param>
    /// <param name="configs">Its effective configuration, null when it could not be described.</param>
    public static List<TopicFinding> Evaluate(string topic, string role, int? replicationFactor, IReadOnlyDictionary<string, string?>? configs)
    {
        var findings = new List<TopicFinding>();
        if (replicationFactor is { } rf && rf < MinReplicationFactor)
        {
            findings.Add(new(topic, role, $"has replication factor {rf}: a broker failure can lose acknowledged records",
                $"recreate or reassign it with replication factor {MinReplicationFactor} or more (kafka-reassign-partitions)"));
        }

        if (configs is null)
        {
            return findings;
        }

        if (configs.TryGetValue(MinInSyncReplicasKey, out var minIsrText)
            && int.TryParse(minIsrText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var minIsr))
        {
            if (minIsr < MinInSyncReplicas)
            {
                findings.Add(new(topic, role, $"has {MinInSyncReplicasKey}={minIsr}: acks=all is then acknowledged by a single replica",
                    $"set {MinInSyncReplicasKey}={MinInSyncReplicas} on the topic (kafka-configs --alter --add-config {MinInSyncReplicasKey}={MinInSyncReplicas})"));
            }
            else if (replicationFactor is { } replicas && minIsr >= replicas)
            {
                findings.Add(new(topic, role, $"has {MinInSyncReplicasKey}={minIsr} with replication factor {replicas}: one broker down blocks every acks=all write (dead letters too)",
                    $"keep {MinInSyncReplicasKey} below the replication factor (e.g. {MinInSyncReplicas} of {MinReplicationFactor})"));
            }
        }

        if (configs.TryGetValue(UncleanLeaderElectionKey, out var unclean) && string.Equals(unclean?.Trim(), "true", StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(new(topic, role, $"has {UncleanLeaderElectionKey}=true: an out-of-sync replica can become leader and drop acknowledged records",
                $"set {UncleanLeaderElectionKey}=false on the topic (and the brokers)"));
        }

        return findings;
    }
}
