using System.Text.Json;
using Confluent.Kafka;
using KafkaPipeline.Cli;
using KafkaPipeline.DeadLetters.Tests.Support;
using KafkaPipeline.RetryTopics;
using KafkaPipeline.Tests.Support;

namespace KafkaPipeline.DeadLetters.Tests.Cli;

/// <summary>kafka-dlt shows retry topics next to dead letters: due times and attempts from Spring's retry_topic-* headers.</summary>
public sealed class RetryTopicCliTests(OneBrokerCluster fixture) : IClassFixture<OneBrokerCluster>
{
    private static readonly DateTimeOffset Due = new(2031, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private async Task<string> ProduceRetryRecordAsync()
    {
        var topic = ClusterFixture.Unique("cli-retry") + "-retry-30000";
        fixture.Cluster.CreateTopic(topic, 1);
        var message = new SpringDeadLetter("orders", 0, 7).ToMessage();
        message.Headers.Add(RetryTopicHeaders.OriginalTimestamp, RetryTopicHeaders.EncodeTimestamp(1_700_000_000_000));
        message.Headers.Add(RetryTopicHeaders.Attempts, RetryTopicHeaders.EncodeAttempts(3));
        message.Headers.Add(RetryTopicHeaders.BackOffTimestamp, RetryTopicHeaders.EncodeTimestamp(Due.ToUnixTimeMilliseconds()));
        await KafkaIo.ProduceAsync(fixture.Bootstrap, topic, 0, [message]);
        return topic;
    }

    [Fact]
    public async Task List_RetryTopic_ListedWithDueAndAttempts()
    {
        var topic = await ProduceRetryRecordAsync();

        var result = await CliRunner.RunAsync("list", "-b", fixture.Bootstrap, "--json");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        var json = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(t => t.GetProperty("topic").GetString() == topic);
        Assert.True(json.GetProperty("retryTopic").GetBoolean());
        Assert.Equal(3, json.GetProperty("maxAttempts").GetInt32());
        Assert.Equal(Due, json.GetProperty("firstDue").GetDateTimeOffset());
    }

    [Fact]
    public async Task List_DeadLettersOnly_LeavesRetryTopicsOut()
    {
        var topic = await ProduceRetryRecordAsync();

        var result = await CliRunner.RunAsync("list", "-b", fixture.Bootstrap, "--json", "--dead-letters-only");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.DoesNotContain(topic, result.Stdout);
    }

    [Fact]
    public async Task Inspect_RetryTopic_ShowsAttemptsAndDue()
    {
        var topic = await ProduceRetryRecordAsync();

        var json = await CliRunner.RunAsync("inspect", topic, "-b", fixture.Bootstrap, "--json");
        var table = await CliRunner.RunAsync("inspect", topic, "-b", fixture.Bootstrap, "--show", "0@0");

        Assert.True(json.ExitCode == ExitCodes.Success, json.ToString());
        var record = JsonDocument.Parse(json.Stdout.Trim()).RootElement;
        Assert.Equal(3, record.GetProperty("attempts").GetInt32());
        Assert.Equal(Due, record.GetProperty("due").GetDateTimeOffset());
        Assert.True(table.ExitCode == ExitCodes.Success, table.ToString());
        Assert.Contains("Attempts", table.Stdout);
        Assert.Contains("2031-01-02", table.Stdout);
    }
}
