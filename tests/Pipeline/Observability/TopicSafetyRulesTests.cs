using KafkaPipeline.Checklist;

namespace KafkaPipeline.Tests.Observability;

public sealed class TopicSafetyRulesTests
{
    private static Dictionary<string, string?> Configs(string minIsr, string unclean) => new()
    {
        ["min.insync.replicas"] = minIsr,
        ["unclean.leader.election.enable"] = unclean,
        ["retention.ms"] = "604800000",
    };

    [Fact]
    public void Evaluate_SafeTopic_NoFinding() =>
        Assert.Empty(TopicSafetyRules.Evaluate("orders", "consumed", 3, Configs("2", "false")));

    [Fact]
    public void Evaluate_ReplicationFactorBelowThree_Finding()
    {
        var finding = Assert.Single(TopicSafetyRules.Evaluate("orders", "consumed", 2, Configs("1", "false")), f => f.Problem.Contains("replication factor", StringComparison.Ordinal));
        Assert.Contains("replication factor 2", finding.Problem);
        Assert.Equal("orders", finding.Topic);
    }

    [Fact]
    public void Evaluate_MinInSyncReplicasOne_Finding()
    {
        var finding = Assert.Single(TopicSafetyRules.Evaluate("orders-dlt", "dead-letter", 3, Configs("1", "false")));
        Assert.Contains("min.insync.replicas=1", finding.Problem);
        Assert.Contains("min.insync.replicas=2", finding.Fix);
        Assert.Equal("dead-letter", finding.Role);
    }

    [Fact]
    public void Evaluate_MinInSyncReplicasEqualsReplicationFactor_FindingAboutBlockedWrites() =>
        Assert.Contains("blocks every acks=all write", Assert.Single(TopicSafetyRules.Evaluate("orders", "consumed", 3, Configs("3", "false"))).Problem);

    [Fact]
    public void Evaluate_UncleanLeaderElectionTrue_Finding() =>
        Assert.Contains("unclean.leader.election.enable=true", Assert.Single(TopicSafetyRules.Evaluate("orders", "consumed", 3, Configs("2", " TRUE"))).Problem);

    [Fact]
    public void Evaluate_ConfigsUnknown_OnlyReplicationFactorChecked()
    {
        Assert.Single(TopicSafetyRules.Evaluate("orders", "consumed", 1, null));
        Assert.Empty(TopicSafetyRules.Evaluate("orders", "consumed", 3, null));
    }

    [Fact]
    public void Evaluate_EverythingUnsafe_ThreeFindings() =>
        Assert.Equal(3, TopicSafetyRules.Evaluate("orders", "consumed", 1, Configs("1", "true")).Count);
}
