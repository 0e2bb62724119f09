namespace KafkaPipeline.Guarantees.Tests.Support;

/// <summary>
/// What every process-kill test starts from: 24 records m-00 … m-23 (even ids on partition 0, odd on partition 1; m-03,
/// m-09, m-15, m-21 are poison, all on partition 1), a fresh topic, group and run id, and the consumer process's arguments.
/// </summary>
public sealed class KillRun
{
    public const int Partitions = 2;
    public const int Records = 24;

    /// <summary>How long a test waits for a process to reach a point.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);

    private KillRun(string prefix)
    {
        RunId = Guid.NewGuid().ToString("N")[..12];
        Topic = $"{prefix}-{RunId}";
        Group = $"{prefix}-g-{RunId}";
    }

    public string RunId { get; }

    public string Topic { get; }

    public string Group { get; }

    public List<(int Partition, string Id, bool Poison)> Produced { get; } =
        [.. Enumerable.Range(0, Records).Select(i => (Partition: i % Partitions, Id: $"m-{i:00}", Poison: i % 6 == 3))];

    /// <summary>Each partition's end offset: where its committed offset stands once every record finished.</summary>
    public long[] Ends => [.. Enumerable.Range(0, Partitions).Select(p => (long)Produced.Count(r => r.Partition == p))];

    /// <summary>Creates <paramref name="topics"/> (suffixes of the run's topic, "" for the topic itself) and produces the records.</summary>
    public static async Task<KillRun> StartAsync(GuaranteesFixture fixture, string prefix, params string[] topics)
    {
        var run = new KillRun(prefix);
        foreach (var suffix in topics)
        {
            fixture.Cluster.CreateTopic(run.Topic + suffix, Partitions);
        }

        await fixture.ProduceAsync(run.Topic, run.Produced);
        return run;
    }

    /// <summary>The consumer process's arguments for this run (no crash point).</summary>
    public Dictionary<string, string> Arguments(GuaranteesFixture fixture, string commitMode, string store, string ordering) => new()
    {
        ["Bootstrap"] = fixture.Cluster.BootstrapServers,
        ["Topic"] = Topic,
        ["Group"] = Group,
        ["RunId"] = RunId,
        ["Postgres"] = GuaranteesFixture.Postgres,
        ["Redis"] = GuaranteesFixture.Redis,
        ["CommitMode"] = commitMode,
        ["Store"] = store,
        ["Lease"] = "00:00:02",
        ["Ordering"] = ordering,
    };
}
