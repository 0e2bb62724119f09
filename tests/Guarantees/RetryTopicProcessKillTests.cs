using KafkaPipeline.Guarantees.Tests.Support;
using KafkaPipeline.Tests.Support;
using Xunit.Abstractions;

namespace KafkaPipeline.Guarantees.Tests;

/// <summary>
/// Retry topics under SIGKILL (docs/delivery-guarantees.md, retry-topic rows): a failing record is forwarded to
/// <c>&lt;topic&gt;-retry</c> and from there to <c>&lt;topic&gt;-dlt</c>. The process is killed on the main topic before
/// the forward, or after the retry topic acknowledged it but before the offset could be committed; then restarted.
/// Nothing may be lost (every healthy record handled, every poison record in the DLT); a forward acknowledged before the
/// kill is repeated (at least once), one that had not started is not.
/// </summary>
public sealed class RetryTopicProcessKillTests(GuaranteesFixture fixture, ITestOutputHelper output) : IClassFixture<GuaranteesFixture>
{
    private const int Partitions = KillRun.Partitions; // records m-00 … m-23 (KillRun): even ids on partition 0, odd on 1
    private const string CrashId = "m-09";       // partition 1, offset 4: a poison record
    private static readonly TimeSpan Deadline = KillRun.Deadline;

    [Theory]
    [InlineData("StoredOffsets", "before-forward")]
    [InlineData("StoredOffsets", "after-forward-before-commit")]
    [InlineData("PerRecord", "before-forward")]
    [InlineData("PerRecord", "after-forward-before-commit")]
    public async Task Kill_AroundTheForward_RestartLosesNothingAndRepeatsOnlyAnAcknowledgedForward(string commitMode, string crashPoint)
    {
        var run = await KillRun.StartAsync(fixture, "guar-rt", "", "-retry", "-dlt");
        var (runId, topic, group, produced) = (run.RunId, run.Topic, run.Group, run.Produced);
        var arguments = run.Arguments(fixture, commitMode, "none", "Partition");
        arguments["RetryTopics"] = "true";

        // 1. Run until the crash point on the main topic; the healthy records of partition 0 finish meanwhile; then SIGKILL.
        var canFinish = produced.Where(r => !r.Poison && r.Partition == 0).Select(r => r.Id).ToList();
        using (var first = ConsumerProcess.Start(new Dictionary<string, string>(arguments) { ["CrashPoint"] = crashPoint, ["CrashId"] = CrashId }))
        {
            var marker = await first.WaitForLineAsync("CRASHPOINT reached", Deadline);
            await first.WaitForFinishedAsync(canFinish, Deadline);
            output.WriteLine($"{commitMode} / {crashPoint}: {marker}; killing pid {first.Id}");
            await first.KillAsync();
        }

        // 2. Restart without a crash point: every main-topic offset committed and every poison record in the DLT.
        var poison = produced.Where(r => r.Poison).Select(r => r.Id).ToList();
        var ends = run.Ends.Select(e => (long?)e).ToArray();
        using (var second = ConsumerProcess.Start(arguments))
        {
            await Eventually.True(
                () => KafkaIo.Committed(fixture.Bootstrap, group, topic, Partitions).SequenceEqual(ends)
                    && poison.All(fixture.ReadIds(topic + "-dlt", Partitions).Contains),
                () => $"{commitMode} / {crashPoint}: main topic committed to [{string.Join(", ", ends)}] and {string.Join(", ", poison)} dead-lettered:\n{second.Output}",
                Deadline,
                interval: TimeSpan.FromMilliseconds(100));
            await second.KillAsync();
        }

        // 3. Reconcile.
        var effects = await fixture.CountAsync("guarantees_effects", runId);
        var deadLetters = fixture.ReadIds(topic + "-dlt", Partitions).GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        var forwards = fixture.ReadIds(topic + "-retry", Partitions).GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{commitMode} / {crashPoint}: effects {effects.Values.Sum()}, retry-topic records {forwards.Values.Sum()}, "
            + $"dead letters {deadLetters.Values.Sum()}; {CrashId}: forwarded {forwards.GetValueOrDefault(CrashId)}, dead-lettered {deadLetters.GetValueOrDefault(CrashId)}");

        Assert.All(produced.Where(r => !r.Poison), r => Assert.InRange(effects.GetValueOrDefault(r.Id), 1, 2)); // nothing lost
        Assert.All(poison, id => Assert.Equal(0, effects.GetValueOrDefault(id)));
        Assert.Empty(deadLetters.Keys.Except(poison));
        Assert.Empty(forwards.Keys.Except(poison));
        Assert.All(poison, id => Assert.InRange(deadLetters.GetValueOrDefault(id), 1, 3));

        if (crashPoint == "before-forward")
        {
            Assert.Equal(1, forwards.GetValueOrDefault(CrashId)); // not forwarded before the kill: forwarded once after it
        }
        else
        {
            Assert.Equal(2, forwards.GetValueOrDefault(CrashId)); // acknowledged, not committed: forwarded again after the restart
            Assert.InRange(deadLetters.GetValueOrDefault(CrashId), 2, 3);
        }
    }
}
