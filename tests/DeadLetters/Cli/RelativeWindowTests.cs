using System.Text;
using System.Text.Json;
using KafkaPipeline.Cli;
using KafkaPipeline.DeadLetters.Replay;
using KafkaPipeline.DeadLetters.Tests.Support;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace KafkaPipeline.DeadLetters.Tests.Cli;

/// <summary>
/// Replays with an age (<c>--since 1d</c>, <c>--until 1h</c>) stay the same replay when run again later: same progress
/// group, nothing sent twice, nothing the first run selected left out, nothing too young passed over for good.
/// </summary>
public sealed class RelativeWindowTests(OneBrokerCluster fixture) : IClassFixture<OneBrokerCluster>
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task ReplayDryRun_SinceAgeRunTwiceMinutesApart_SameProgressGroup()
    {
        var topic = fixture.CreateTopicWithDeadLetters("win-group");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, new SpringDeadLetter(topic, 0, 1) { FailedAt = _time.GetUtcNow().AddHours(-1) });

        var first = await RunAsync(null, "replay", topic + "-dlt", "--since", "1d", "--dry-run", "--json");
        _time.Advance(TimeSpan.FromMinutes(7));
        var second = await RunAsync(null, "replay", topic + "-dlt", "--since", "24h", "--dry-run", "--json");

        Assert.Equal(Group(first), Group(second));
        Assert.Contains("since=1d", Plan(first).GetProperty("selection").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_SinceAgeInterruptedThenRerunLater_SendsEveryRecordOfTheFirstWindowOnce()
    {
        var topic = fixture.CreateTopicWithDeadLetters("win-resume");
        var now = _time.GetUtcNow();
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0,
            [
                new SpringDeadLetter(topic, 0, 0) { Key = "too-old", FailedAt = now.AddDays(-2) },
                .. Enumerable.Range(1, 4).Select(i => new SpringDeadLetter(topic, 0, i) { Key = $"edge-{i}", FailedAt = now.AddDays(-1).AddMinutes(5) }),
                .. Enumerable.Range(5, 4).Select(i => new SpringDeadLetter(topic, 0, i) { Key = $"recent-{i}", FailedAt = now.AddMinutes(-30) }),
            ]);

        var first = await RunAsync(2, "replay", topic + "-dlt", "--since", "1d", "--yes", "--batch-size", "1");
        _time.Advance(TimeSpan.FromMinutes(10)); // the edge records are now older than a day
        var second = await RunAsync(null, "replay", topic + "-dlt", "--since", "1d", "--yes", "--batch-size", "1");

        Assert.True(first.ExitCode == ExitCodes.Interrupted, first.ToString());
        Assert.True(second.ExitCode == ExitCodes.Success, second.ToString());
        var sent = KafkaIo.ReadAll(fixture.Bootstrap, topic, 3);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long?)i), sent.Select(SourceOffset).Order());
    }

    [Fact]
    public async Task Replay_UntilAgeRunAgainLater_ReplaysTheRecordsThatWereTooYoungTheFirstTime()
    {
        var topic = fixture.CreateTopicWithDeadLetters("win-until");
        var now = _time.GetUtcNow();
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0,
            [
                .. Enumerable.Range(0, 3).Select(i => new SpringDeadLetter(topic, 0, i) { FailedAt = now.AddHours(-3) }),
                .. Enumerable.Range(3, 2).Select(i => new SpringDeadLetter(topic, 0, i) { FailedAt = now.AddMinutes(-10) }),
            ]);

        var first = await RunAsync(null, "replay", topic + "-dlt", "--until", "1h", "--yes");
        var afterFirst = KafkaIo.ReadAll(fixture.Bootstrap, topic, 3).Count;
        _time.Advance(TimeSpan.FromHours(2));
        var second = await RunAsync(null, "replay", topic + "-dlt", "--until", "1h", "--yes");

        Assert.True(first.ExitCode == ExitCodes.Success, first.ToString());
        Assert.True(second.ExitCode == ExitCodes.Success, second.ToString());
        Assert.Equal(3, afterFirst);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => (long?)i), KafkaIo.ReadAll(fixture.Bootstrap, topic, 3).Select(SourceOffset).Order());
    }

    private static long? SourceOffset(Confluent.Kafka.ConsumeResult<byte[]?, byte[]?> record) =>
        DeadLetterHeaders.DecodeInt64(DeadLetterHeaders.Last(record.Message.Headers, ReplayHeaders.SourceOffset));

    private static JsonElement Plan(CliResult result) =>
        result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .First(l => l.TryGetProperty("plan", out _)).GetProperty("plan");

    private static string? Group(CliResult result) => Plan(result).GetProperty("group").GetString();

    /// <summary>Runs kafka-dlt on the fake clock; with <paramref name="cancelAfter"/>, Ctrl+C once that many records were replayed.</summary>
    private async Task<CliResult> RunAsync(int? cancelAfter, params string[] args)
    {
        using var cancel = new CancellationTokenSource();
        using var stdout = new StringWriter();
        using var stderr = new AuditWatcher(cancelAfter, cancel);
        var console = CliConsole.Plain(stdout, stderr);
        var code = await KafkaDltApp.RunAsync([.. args, "--audit", "-", "-b", fixture.Bootstrap], console, _time, cancel.Token);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>stderr that counts the audit lines of replayed records and cancels after a number of them.</summary>
    private sealed class AuditWatcher(int? cancelAfter, CancellationTokenSource cancel) : StringWriter
    {
        private int _replayed;

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value is not null && value.Contains("\"outcome\":\"replayed\"", StringComparison.Ordinal) && ++_replayed == cancelAfter)
            {
                cancel.Cancel();
            }
        }

        public override Encoding Encoding => Encoding.UTF8;
    }
}
