using KafkaPipeline.Guarantees.Tests.Support;
using KafkaPipeline.Tests.Support;
using Xunit.Abstractions;

namespace KafkaPipeline.Guarantees.Tests;

/// <summary>
/// The failure contract (docs/delivery-guarantees.md): a consumer process is killed with SIGKILL at a crash point,
/// restarted without one, and produced vs handled vs dead-lettered are reconciled. Loss must be zero in every row;
/// duplicate handler calls and duplicate effects must be what the row says.
/// </summary>
public sealed class ProcessKillTests(GuaranteesFixture fixture, ITestOutputHelper output) : IClassFixture<GuaranteesFixture>
{
    private const int Partitions = KillRun.Partitions; // records m-00 … m-23 (KillRun): even ids on partition 0, odd on 1
    private const string CrashId = "m-10";   // partition 0, offset 5: five records of partition 0 handled before it
    private const string PoisonCrashId = "m-09"; // partition 1, offset 4: a poison record
    private static readonly TimeSpan Deadline = KillRun.Deadline;

    /// <summary>
    /// Every row of the contract: in Partition mode commit mode × store × crash point (2 × 5 × 4 = 40 process kills); in
    /// Key and Unordered modes, where later records of the stuck record's partition run on, commit mode × store with the
    /// process killed inside a handler (2 × 2 × 5 = 20).
    /// </summary>
    public static TheoryData<string, string, string, string> Rows
    {
        get
        {
            var rows = new TheoryData<string, string, string, string>();
            foreach (var ordering in new[] { "Partition", "Key", "Unordered" })
            {
                foreach (var commitMode in new[] { "StoredOffsets", "PerRecord" })
                {
                    foreach (var store in new[] { "none", "memory", "redis", "postgres", "inbox" })
                    {
                        var crashPoints = ordering == "Partition"
                            ? new[] { "before-handler", "during-handler", "after-handler-before-commit", "during-dlt-publish" }
                            : ["during-handler"];
                        foreach (var crashPoint in crashPoints)
                        {
                            rows.Add(ordering, commitMode, store, crashPoint);
                        }
                    }
                }
            }

            return rows;
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Kill_AtCrashPoint_RestartLosesNothingAndRepeatsOnlyWhatTheContractSays(string ordering, string commitMode, string store, string crashPoint)
    {
        var row = new CrashScenario(ordering, commitMode, store, crashPoint);
        var run = await KillRun.StartAsync(fixture, "guar", "", "-dlt");
        var (runId, topic, group, produced) = (run.RunId, run.Topic, run.Group, run.Produced);
        var crashId = row.DeadLetterCrash ? PoisonCrashId : CrashId;
        var arguments = run.Arguments(fixture, commitMode, store, ordering);

        // 1. Run until the crash point; wait until everything that can finish meanwhile did (other lanes run on), and in
        //    PerRecord mode until it is committed; then SIGKILL.
        var crashed = produced.Single(r => r.Id == crashId);
        var crashOffset = produced.Count(r => r.Partition == crashed.Partition && string.CompareOrdinal(r.Id, crashId) < 0);
        var ends = run.Ends;
        var canFinish = produced.Where(r => r.Id != crashId && (row.LaterRecordsOfItsPartitionRun || r.Partition != crashed.Partition
            || string.CompareOrdinal(r.Id, crashId) < 0)).Select(r => r.Id).ToList();
        using (var first = ConsumerProcess.Start(new Dictionary<string, string>(arguments) { ["CrashPoint"] = crashPoint, ["CrashId"] = crashId }))
        {
            var marker = await first.WaitForLineAsync("CRASHPOINT reached", Deadline);
            await first.WaitForFinishedAsync(canFinish, Deadline);
            if (commitMode == "PerRecord")
            {
                var expected = ends.Select((end, p) => p == crashed.Partition ? crashOffset : end).ToArray();
                await WaitForCommittedAsync(group, topic, expected, row, first);
            }

            output.WriteLine($"{row}: {marker}; killing pid {first.Id}");
            await first.KillAsync();
        }

        // 2. Restart without a crash point; wait until every offset is committed (every record handled or dead-lettered).
        using (var second = ConsumerProcess.Start(arguments))
        {
            await WaitForCommittedAsync(group, topic, ends, row, second);
            await second.KillAsync();
        }

        // 3. Reconcile produced vs handled vs dead-lettered.
        var calls = await fixture.CountAsync("guarantees_handler_calls", runId);
        var effects = await fixture.CountAsync("guarantees_effects", runId);
        var deadLetters = fixture.ReadIds(topic + "-dlt", Partitions).GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        int Of(Dictionary<string, int> counts, string id) => counts.GetValueOrDefault(id);

        var lost = produced.Where(r => r.Poison ? Of(deadLetters, r.Id) == 0 : Of(effects, r.Id) == 0).Select(r => r.Id).ToList();
        var duplicateCalls = calls.Values.Sum(c => Math.Max(0, c - 1));
        var duplicateEffects = effects.Values.Sum(c => Math.Max(0, c - 1));
        var duplicateDeadLetters = deadLetters.Values.Sum(c => Math.Max(0, c - 1));
        output.WriteLine($"{row}: produced {produced.Count}, lost {lost.Count}, duplicate calls {duplicateCalls}, " +
                         $"duplicate effects {duplicateEffects}, dead letters {deadLetters.Values.Sum()} ({duplicateDeadLetters} duplicate); " +
                         $"crashed {crashId}: calls {Of(calls, crashId)}, effects {Of(effects, crashId)}, dead letters {Of(deadLetters, crashId)}");

        Assert.Empty(lost);
        Assert.All(produced.Where(r => r.Poison), r => Assert.Equal(0, Of(effects, r.Id)));
        Assert.Empty(deadLetters.Keys.Except(produced.Where(r => r.Poison).Select(r => r.Id)));

        // The crashed record.
        Assert.Equal(row.ExpectedCalls, Of(calls, crashId));
        Assert.Equal(row.ExpectedEffects, Of(effects, crashId));
        if (row.DeadLetterCrash)
        {
            Assert.Equal(2, Of(deadLetters, crashId)); // the kill came after the broker's ack: at-least-once dead letter
        }

        // Every other record.
        var skippedAboveWatermark = 0;
        foreach (var (partition, id, poison) in produced.Where(r => r.Id != crashId))
        {
            var aboveWatermark = row.LaterRecordsOfItsPartitionRun && partition == crashed.Partition && string.CompareOrdinal(id, crashId) > 0;
            if (aboveWatermark && !row.DurableStore)
            {
                // Finished while the crashed record was stuck below them: the commit could not pass it, but its metadata
                // carries them (CommitFinishedOffsets) once a commit with them reached the broker — in PerRecord mode right
                // after each finished, in StoredOffsets mode at the next auto-commit. Those are skipped after the restart;
                // the others (finished after the last commit before the kill) run again.
                Assert.InRange(Of(calls, id), 1, 2);
                Assert.Equal(poison ? 0 : Of(calls, id), Of(effects, id));
                skippedAboveWatermark += Of(calls, id) == 1 ? 1 : 0;
            }
            else if (row.OthersMayRepeat && !row.DurableStore)
            {
                Assert.InRange(Of(calls, id), 1, 2);
                Assert.InRange(Of(effects, id), poison ? 0 : 1, poison ? 0 : 2);
            }
            else if (row.OthersMayRepeat && poison)
            {
                Assert.InRange(Of(calls, id), 1, 2);      // a failed record's reservation was released: it runs again
            }
            else
            {
                Assert.Equal(1, Of(calls, id));
                Assert.Equal(poison ? 0 : 1, Of(effects, id));
            }

            if (poison)
            {
                Assert.InRange(Of(deadLetters, id), 1, row.OthersMayRepeat || aboveWatermark ? 2 : 1);
            }
        }

        if (row.Store == "inbox")
        {
            Assert.Equal(0, duplicateEffects); // exactly-once effect
        }

        if (row.LaterRecordsOfItsPartitionRun && !row.DurableStore && commitMode == "PerRecord")
        {
            // The kill came after every record above the watermark had finished, each followed by a commit with the
            // finished offsets in its metadata: at least the first of them was skipped, not handled twice.
            Assert.True(skippedAboveWatermark > 0, $"{row}: every record finished above the watermark ran again");
        }
    }

    private Task WaitForCommittedAsync(string group, string topic, long[] expected, CrashScenario row, ConsumerProcess process) =>
        Eventually.True(
            () => KafkaIo.Committed(fixture.Bootstrap, group, topic, Partitions).SequenceEqual(expected.Select(e => (long?)e)),
            () => $"{row}: offsets committed to [{string.Join(", ", expected)}]:\n{process.Output}",
            Deadline,
            interval: TimeSpan.FromMilliseconds(50));
}
