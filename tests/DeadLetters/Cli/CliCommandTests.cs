using System.Text.Json;
using KafkaPipeline.Cli;
using KafkaPipeline.DeadLetters.Tests.Support;
using KafkaPipeline.Tests.Support;

namespace KafkaPipeline.DeadLetters.Tests.Cli;

/// <summary>kafka-dlt's commands against the embedded cluster: output shapes and exit codes.</summary>
public sealed class CliCommandTests(OneBrokerCluster fixture) : IClassFixture<OneBrokerCluster>
{
    [Fact]
    public async Task Inspect_Json_PrintsOneObjectPerRecordWithCoordinates()
    {
        var topic = fixture.CreateTopicWithDeadLetters("cli-json");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 1, new SpringDeadLetter(topic, 2, 40) { Key = "a" }, new SpringDeadLetter(topic, 0, 41) { Key = "b" });

        var result = await CliRunner.RunAsync("inspect", topic + "-dlt", "-b", fixture.Bootstrap, "--json");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal((1, 0L, 2, 40L), (lines[0].GetProperty("partition").GetInt32(), lines[0].GetProperty("offset").GetInt64(),
            lines[0].GetProperty("originalPartition").GetInt32(), lines[0].GetProperty("originalOffset").GetInt64()));
        Assert.Equal("java.lang.IllegalStateException", lines[1].GetProperty("exceptionCauseType").GetString());
    }

    [Fact]
    public async Task Inspect_SeveralPartitions_RowsInPartitionThenOffsetOrder()
    {
        var topic = fixture.CreateTopicWithDeadLetters("cli-order");
        foreach (var partition in new[] { 2, 0, 1 })
        {
            await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", partition, [.. Enumerable.Range(0, 20).Select(i => new SpringDeadLetter(topic, partition, i))]);
        }

        var result = await CliRunner.RunAsync("inspect", topic + "-dlt", "-b", fixture.Bootstrap, "--json", "--limit", "0");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var rows = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(r => (r.GetProperty("partition").GetInt32(), r.GetProperty("offset").GetInt64())).ToList();
        Assert.Equal(60, rows.Count);
        Assert.Equal(rows.OrderBy(r => r.Item1).ThenBy(r => r.Item2), rows);
    }

    [Fact]
    public async Task Inspect_Limit_StopsAtTheLimitAndSaysMoreMatch()
    {
        var topic = fixture.CreateTopicWithDeadLetters("cli-limit");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 1, [.. Enumerable.Range(0, 5).Select(i => new SpringDeadLetter(topic, 1, i))]);
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, [.. Enumerable.Range(0, 5).Select(i => new SpringDeadLetter(topic, 0, i))]);

        var result = await CliRunner.RunAsync("inspect", topic + "-dlt", "-b", fixture.Bootstrap, "--limit", "3");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("0@2", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("0@3", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("1@0", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Showing the first 3 matching records; more match", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_Table_ShowsRowsAndFilterSummary()
    {
        var topic = fixture.CreateTopicWithDeadLetters("cli-table");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0,
            new SpringDeadLetter(topic, 0, 7) { Key = "alpha", Message = "alpha broke" },
            new SpringDeadLetter(topic, 0, 8) { Key = "beta", Message = "beta broke" });

        var result = await CliRunner.RunAsync("inspect", topic + "-dlt", "-b", fixture.Bootstrap, "--key", "beta");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("0@8", result.Stdout, StringComparison.Ordinal); // the original topic is the DLT's stem, so only p@offset
        Assert.DoesNotContain("alpha", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 record(s) matching key=beta", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectShow_SpringRecord_PrintsDecodedHeadersAndPrettyJson()
    {
        var topic = fixture.CreateTopicWithDeadLetters("cli-show");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, new SpringDeadLetter(topic, 2, 123456789012) { Value = "{\"id\":7,\"items\":[1,2]}" });

        var result = await CliRunner.RunAsync("inspect", topic + "-dlt", "-b", fixture.Bootstrap, "--show", "0@0");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("kafka_dlt-original-offset", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("123456789012", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("1700000000000 (2023-11-14 22:13:20.000Z)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"id\": 7,", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Value (json, 22 bytes)", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InspectShowJson_Headers_CarryTheRawBytesBesideTheDecodedValue()
    {
        var topic = fixture.CreateTopicWithDeadLetters("cli-raw-headers");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, new SpringDeadLetter(topic, 3, 7));

        var result = await CliRunner.RunAsync("inspect", topic + "-dlt", "-b", fixture.Bootstrap, "--show", "0@0", "--json");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var headers = JsonDocument.Parse(result.Stdout).RootElement.GetProperty("headers").EnumerateArray().ToList();
        var partition = Assert.Single(headers, h => h.GetProperty("name").GetString() == "kafka_dlt-original-partition");
        Assert.Equal("3", partition.GetProperty("value").GetString());
        Assert.Equal(Convert.ToBase64String([0, 0, 0, 3]), partition.GetProperty("valueBase64").GetString());
        var messageId = Assert.Single(headers, h => h.GetProperty("name").GetString() == "message-id");
        Assert.Equal(Convert.ToBase64String("m-1"u8.ToArray()), messageId.GetProperty("valueBase64").GetString());
    }

    [Fact]
    public async Task InspectShow_MissingRecord_ReturnsNotFound()
    {
        var topic = fixture.CreateTopicWithDeadLetters("cli-missing");

        var result = await CliRunner.RunAsync("inspect", topic + "-dlt", "-b", fixture.Bootstrap, "--show", "0@5");

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
    }

    [Fact]
    public async Task InspectShow_PartitionTheTopicLacks_ReturnsNotFoundNamingThePartitions()
    {
        var topic = fixture.CreateTopicWithDeadLetters("cli-nopart");

        var result = await CliRunner.RunAsync("inspect", topic + "-dlt", "-b", fixture.Bootstrap, "--show", "7@0");

        Assert.True(result.ExitCode == ExitCodes.NotFound, result.ToString());
        Assert.Contains("partition 7", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("0..2", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_UnknownTopic_ReturnsNotFound()
    {
        var result = await CliRunner.RunAsync("inspect", ClusterFixture.Unique("nothing") + "-dlt", "-b", fixture.Bootstrap);

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("does not exist", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_Json_ReportsCountsPerPartitionAndTopExceptions()
    {
        var prefix = ClusterFixture.Unique("lst");
        var topic = prefix + "-orders";
        fixture.Cluster.CreateTopic(topic, 2);
        fixture.Cluster.CreateTopic(topic + ".DLQ", 2);
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + ".DLQ", 0,
            new SpringDeadLetter(topic, 0, 1) { ExceptionFqcn = "A.Timeout" }, new SpringDeadLetter(topic, 0, 2) { ExceptionFqcn = "A.Timeout" });
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + ".DLQ", 1, new SpringDeadLetter(topic, 1, 3) { ExceptionFqcn = "B.Invalid" });

        var result = await CliRunner.RunAsync("list", "-b", fixture.Bootstrap, "--suffix", "-orders.DLQ", "--json");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var line = Assert.Single(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains(prefix, StringComparison.Ordinal));
        var json = JsonDocument.Parse(line).RootElement;
        Assert.Equal(3, json.GetProperty("records").GetInt64());
        Assert.Equal([2L, 1L], json.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("records").GetInt64()));
        var top = json.GetProperty("topExceptions").EnumerateArray().Select(e => (e.GetProperty("type").GetString(), e.GetProperty("count").GetInt64())).ToList();
        Assert.Equal([("A.Timeout", 2L), ("B.Invalid", 1L)], top);
        Assert.NotNull(json.GetProperty("oldest").GetString());
    }

    [Fact]
    public async Task List_TransactionalDeadLetters_CountsRecordsNotTheMarkerOrSaysItIsAnOffsetSpan()
    {
        var topic = fixture.CreateTopicWithDeadLetters("lst-txn", partitions: 1);
        KafkaIo.ProduceTransactionally(fixture.Bootstrap, topic + "-dlt", 0, [.. Enumerable.Range(0, 12).Select(i => new SpringDeadLetter(topic, 0, i).ToMessage())]);

        var scanned = await CliRunner.RunAsync("list", "-b", fixture.Bootstrap, "--suffix", topic + "-dlt", "--json");
        var unscanned = await CliRunner.RunAsync("list", "-b", fixture.Bootstrap, "--suffix", topic + "-dlt", "--json", "--scan-limit", "0");
        var table = await CliRunner.RunAsync("list", "-b", fixture.Bootstrap, "--suffix", topic + "-dlt", "--scan-limit", "0");

        var exact = JsonDocument.Parse(scanned.Stdout).RootElement;
        Assert.Equal((12L, true, 13L), (exact.GetProperty("records").GetInt64(), exact.GetProperty("recordsExact").GetBoolean(), exact.GetProperty("offsetSpan").GetInt64()));
        var span = JsonDocument.Parse(unscanned.Stdout).RootElement;
        Assert.Equal((false, 13L), (span.GetProperty("recordsExact").GetBoolean(), span.GetProperty("offsetSpan").GetInt64()));
        Assert.Contains("≤13", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("offset span", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ScanLimitZero_NewestIsTheLastRecordNotTheFirst()
    {
        var topic = fixture.CreateTopicWithDeadLetters("lst-zero", partitions: 2);
        var first = new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0,
            new SpringDeadLetter(topic, 0, 1) { FailedAt = first },
            new SpringDeadLetter(topic, 0, 2) { FailedAt = first.AddMinutes(5) },
            new SpringDeadLetter(topic, 0, 3) { FailedAt = first.AddMinutes(9) });

        var result = await CliRunner.RunAsync("list", "-b", fixture.Bootstrap, "--suffix", topic + "-dlt", "--scan-limit", "0", "--json");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var json = JsonDocument.Parse(Assert.Single(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))).RootElement;
        Assert.Equal("2025-03-01T10:00:00.000Z", json.GetProperty("oldest").GetString());
        Assert.Equal("2025-03-01T10:09:00.000Z", json.GetProperty("newest").GetString());
        var partition = json.GetProperty("partitions")[0];
        Assert.Equal("2025-03-01T10:09:00.000Z", partition.GetProperty("newest").GetString());
        Assert.Equal(0, json.GetProperty("scanned").GetInt64());
    }

    [Fact]
    public async Task InspectAndList_SpringListenerWrapper_ShowTheCauseType()
    {
        var topic = fixture.CreateTopicWithDeadLetters("lefe");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0,
            new SpringDeadLetter(topic, 0, 1) { CauseFqcn = "com.shop.NegativeTotalException", Message = "Listener failed" },
            new SpringDeadLetter(topic, 0, 2) { CauseFqcn = "com.shop.NegativeTotalException", Message = "Listener failed" },
            new SpringDeadLetter(topic, 0, 3) { ExceptionFqcn = "com.shop.Unwrapped", CauseFqcn = "java.io.IOException", Message = "plain" });

        var inspect = await CliRunner.RunAsync("inspect", topic + "-dlt", "-b", fixture.Bootstrap);
        var list = await CliRunner.RunAsync("list", "-b", fixture.Bootstrap, "--suffix", topic + "-dlt", "--json");

        Assert.True(inspect.ExitCode == ExitCodes.Success, inspect.ToString());
        Assert.Contains("NegativeTotalException", inspect.Stdout, StringComparison.Ordinal);
        Assert.Contains("Unwrapped", inspect.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("ListenerExecutionFailedException", inspect.Stdout, StringComparison.Ordinal);
        var json = JsonDocument.Parse(Assert.Single(list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))).RootElement;
        var top = json.GetProperty("topExceptions").EnumerateArray().Select(e => (e.GetProperty("type").GetString(), e.GetProperty("count").GetInt64())).ToList();
        Assert.Equal([("com.shop.NegativeTotalException", 2L), ("com.shop.Unwrapped", 1L)], top);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task List_SeveralSuffixes_ListsTopicsOfEachNamingScheme(bool commaSeparated)
    {
        var prefix = ClusterFixture.Unique("multi");
        fixture.Cluster.CreateTopic(prefix + "-orders-dlt", 1);
        fixture.Cluster.CreateTopic(prefix + "-payments.DLT", 1);
        fixture.Cluster.CreateTopic(prefix + "-other.DLQ", 1);
        string[] suffixes = commaSeparated
            ? ["--suffix", $"{prefix}-orders-dlt,{prefix}-payments.DLT"]
            : ["--suffix", prefix + "-orders-dlt", "-s", prefix + "-payments.DLT"];

        var result = await CliRunner.RunAsync(["list", "-b", fixture.Bootstrap, "--json", .. suffixes]);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var topics = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("topic").GetString());
        Assert.Equal([prefix + "-orders-dlt", prefix + "-payments.DLT"], topics);
    }

    [Fact]
    public async Task Replay_NotATerminalWithoutYes_RefusesAndSendsNothing()
    {
        var topic = fixture.CreateTopicWithDeadLetters("cli-noyes");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, new SpringDeadLetter(topic, 0, 1));

        var result = await CliRunner.RunAsync("replay", topic + "-dlt", "-b", fixture.Bootstrap);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--yes", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(KafkaIo.ReadAll(fixture.Bootstrap, topic, 3));
    }

    [Theory]
    [InlineData("n\r", ExitCodes.Declined, 0)]
    [InlineData("y\r", ExitCodes.Success, 1)]
    public async Task Replay_ConfirmationPrompt_SendsOnlyWhenConfirmed(string answer, int exitCode, int sent)
    {
        var topic = fixture.CreateTopicWithDeadLetters("cli-prompt");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, new SpringDeadLetter(topic, 0, 1));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await KafkaDltApp.RunAsync(["replay", topic + "-dlt", "-b", fixture.Bootstrap, "--audit", "-"], ScriptedConsole.Create(stdout, stderr, answer));

        Assert.True(code == exitCode, $"exit {code}\n{stdout}\n{stderr}");
        Assert.Contains($"Replay 1 record(s) from '{topic}-dlt' to {topic}?", stdout.ToString(), StringComparison.Ordinal);
        Assert.Equal(sent, KafkaIo.ReadAll(fixture.Bootstrap, topic, 3).Count);
    }

    [Fact]
    public async Task Replay_WithYes_SendsWritesAuditAndCommits()
    {
        var topic = fixture.CreateTopicWithDeadLetters("cli-yes");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 2, new SpringDeadLetter(topic, 2, 1), new SpringDeadLetter(topic, 2, 2));
        var audit = Path.Combine(Path.GetTempPath(), $"audit-{Guid.NewGuid():N}.jsonl");
        try
        {
            var result = await CliRunner.RunAsync("replay", topic + "-dlt", "-b", fixture.Bootstrap, "--yes", "--audit", audit);

            Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
            Assert.Contains("Replay complete: 2 replayed", result.Stdout, StringComparison.Ordinal);
            Assert.Equal(2, KafkaIo.ReadAll(fixture.Bootstrap, topic, 3).Count);
            var lines = (await File.ReadAllLinesAsync(audit)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal([0L, 1L], lines.Select(l => l.GetProperty("sourceOffset").GetInt64()));
            Assert.All(lines, l => Assert.Equal("replayed", l.GetProperty("outcome").GetString()));
            Assert.All(lines, l => Assert.Equal(2, l.GetProperty("targetPartition").GetInt32()));
            Assert.Equal(2L, KafkaIo.Committed(fixture.Bootstrap, "kafka-dlt-replay", topic + "-dlt", 3)[2]);
        }
        finally
        {
            File.Delete(audit);
        }
    }

    [Fact]
    public async Task Replay_DryRunJson_ListsRecordsAndSendsNothing()
    {
        var topic = fixture.CreateTopicWithDeadLetters("cli-dry");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, new SpringDeadLetter(topic, 1, 1), new SpringDeadLetter(topic, 1, 2));

        var result = await CliRunner.RunAsync("replay", topic + "-dlt", "-b", fixture.Bootstrap, "--dry-run", "--json");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(2, lines[0].GetProperty("plan").GetProperty("toSend").GetInt64());
        Assert.Equal(2, lines.Count(l => l.TryGetProperty("outcome", out var o) && o.GetString() == "wouldreplay"));
        Assert.True(lines[^1].GetProperty("result").GetProperty("dryRun").GetBoolean());
        Assert.Empty(KafkaIo.ReadAll(fixture.Bootstrap, topic, 3));
    }

    [Fact]
    public async Task Replay_RecordsWithoutHeaders_ReturnsMissingHeadersAndSendsNothing()
    {
        var topic = fixture.CreateTopicWithDeadLetters("cli-raw");
        await KafkaIo.ProduceTextAsync(fixture.Bootstrap, topic + "-dlt", 0, "raw");

        var result = await CliRunner.RunAsync("replay", topic + "-dlt", "-b", fixture.Bootstrap, "--yes", "--audit", "-");

        Assert.Equal(ExitCodes.MissingHeaders, result.ExitCode);
        Assert.Contains("--to", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(KafkaIo.ReadAll(fixture.Bootstrap, topic, 3));
    }

    [Fact]
    public async Task Replay_LoopGuardRefusesRecords_ReturnsRefusedExitCode()
    {
        var topic = fixture.CreateTopicWithDeadLetters("cli-guard");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, new SpringDeadLetter(topic, 0, 1) { ReplayCount = 2 }, new SpringDeadLetter(topic, 0, 2));

        var result = await CliRunner.RunAsync("replay", topic + "-dlt", "-b", fixture.Bootstrap, "--yes", "--audit", "-", "--max-replays", "2");

        Assert.Equal(ExitCodes.ReplayRefusedRecords, result.ExitCode);
        Assert.Contains("\"outcome\":\"refused\"", result.Stderr, StringComparison.Ordinal);
        Assert.Single(KafkaIo.ReadAll(fixture.Bootstrap, topic, 3));
    }

    [Fact]
    public async Task Replay_UnknownTargetTopic_ReturnsNotFound()
    {
        var topic = fixture.CreateTopicWithDeadLetters("cli-to");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, new SpringDeadLetter(topic, 0, 1));

        var result = await CliRunner.RunAsync("replay", topic + "-dlt", "-b", fixture.Bootstrap, "--yes", "--to", ClusterFixture.Unique("absent"));

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        Assert.Contains("target topic (--to)", result.Stderr, StringComparison.Ordinal);
    }
}
