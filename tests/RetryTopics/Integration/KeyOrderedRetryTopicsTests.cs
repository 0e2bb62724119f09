using System.Text;
using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.RetryTopics.Configuration;
using KafkaPipeline.RetryTopics.KeyOrdering;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.RetryTopics.Tests.Integration;

/// <summary>Key-ordered retry topics under random failures: no record of a key is handled before an earlier one of its key.</summary>
public sealed class KeyOrderedRetryTopicsTests(ThreeBrokerCluster fixture) : IClassFixture<ThreeBrokerCluster>
{
    private const int Keys = 6;
    private const int PerKey = 25;

    private static Action<RetryTopicOptions> KeyOrdered(int delayMs) => o =>
    {
        o.Attempts = 4;
        o.Delay = TimeSpan.FromMilliseconds(delayMs);
        o.Multiplier = 2;
        o.KeyOrdered = true;
    };

    [Theory]
    [InlineData("Key")]
    [InlineData("Partition")]
    public async Task RandomFailures_EveryKeyHandledInOrder_FollowersWentThroughRetryTopics(string ordering)
    {
        var (topic, group, recorder) = await PrepareAsync(100);
        await using var host = await Start(recorder, topic, group, ordering, "host", 100);
        await Eventually.True(() => FirstHandled(recorder).Count == Keys * PerKey, "every record handled", TimeSpan.FromSeconds(90));

        AssertKeyOrder(recorder);
        Assert.Contains(recorder.Handled, h => h.Topic != topic); // some records were handled from retry topics
        var reasons = RetryTopicRecords(topic).Select(r => Encoding.UTF8.GetString(r.Message.Headers.GetLastBytes(DeadLetterHeaders.ExceptionFqcn))).ToList();
        Assert.Contains(typeof(KeyParkedException).FullName, reasons); // later records of a parked key followed it
        Assert.Contains(typeof(InvalidOperationException).FullName, reasons);
        Assert.Equal(0, DltCount(topic));
    }

    [Fact]
    public async Task RestartMidway_ParkedKeysRebuiltFromRetryTopics_KeyOrderHolds()
    {
        var (topic, group, recorder) = await PrepareAsync(1000); // tiers of 1, 2 and 4 s: keys are parked when the host stops
        var first = await Start(recorder, topic, group, "Key", "first", 1000);
        await Eventually.True(() => FirstHandled(recorder).Count >= Keys, "some records handled", TimeSpan.FromSeconds(60));
        await first.DisposeAsync();
        Assert.True(FirstHandled(recorder).Count < Keys * PerKey, "records left for the second host");

        await using var second = await Start(recorder, topic, group, "Key", "second", 1000);
        await Eventually.True(() => FirstHandled(recorder).Count == Keys * PerKey, "every record handled", TimeSpan.FromSeconds(90));
        AssertKeyOrder(recorder);
        Assert.Contains(recorder.Handled, h => h.Host == "second" && h.Topic != topic); // parked records finished after the restart
        Assert.True(second.Services.GetRequiredService<ParkedKeyRegistry>().RebuiltRecords > 0, "the second host found parked records in the retry topics");
    }

    [Fact]
    public async Task SecondMemberJoinsMidway_RebalanceRebuildsParkedKeys_KeyOrderHolds()
    {
        var (topic, group, recorder) = await PrepareAsync(1000);
        await using var first = await Start(recorder, topic, group, "Key", "first", 1000);
        await Eventually.True(() => FirstHandled(recorder).Count >= Keys, "some records handled", TimeSpan.FromSeconds(60));
        await using var second = await Start(recorder, topic, group, "Key", "second", 1000);

        await Eventually.True(() => FirstHandled(recorder).Count == Keys * PerKey, "every record handled", TimeSpan.FromSeconds(90));
        AssertKeyOrder(recorder);
        Assert.True(first.Services.GetRequiredService<ParkedKeyRegistry>().RebuiltRecords
            + second.Services.GetRequiredService<ParkedKeyRegistry>().RebuiltRecords > 0, "parked records were found again after the rebalance");
    }

    private async Task<(string Topic, string Group, Recorder Recorder)> PrepareAsync(int delayMs)
    {
        var options = new RetryTopicOptions();
        KeyOrdered(delayMs)(options);
        var (topic, group) = RetryTopicsHost.Topics(fixture, partitions: 2, options);
        await KafkaIo.ProduceAsync(fixture.Bootstrap, topic, Enumerable.Range(0, Keys * PerKey).Select(i =>
            (i % Keys % 2, (string?)$"key-{i % Keys}", (string?)$"{{\"id\":{i},\"seq\":{i / Keys}}}", (Headers?)null)));
        var recorder = new Recorder
        {
            Behavior = c =>
            {
                var tier = c.Topic == topic ? 0 : c.Topic.EndsWith($"-retry-{delayMs}", StringComparison.Ordinal) ? 1 : c.Topic.EndsWith($"-retry-{delayMs * 2}", StringComparison.Ordinal) ? 2 : 3;
                var id = ((TestOrder)c.Message!).Id;
                return tier < 3 && Fails(id, tier) ? throw new InvalidOperationException($"order {id} failed on tier {tier}") : ValueTask.CompletedTask;
            },
        };
        return (topic, group, recorder);
    }

    /// <summary>A fixed pseudo-random 30 % of (record, tier) pairs fail; the last tier never fails, so nothing is dead-lettered.</summary>
    private static bool Fails(int id, int tier) => (uint)((id * 2654435761L) ^ (tier * 40503L)) % 100 < 30;

    private Task<PipelineHost> Start(Recorder recorder, string topic, string group, string ordering, string name, int delayMs) =>
        RetryTopicsHost.StartAsync(fixture, recorder, topic, group, KeyOrdered(delayMs), name, new Dictionary<string, string?>
        {
            [$"Kafka:Consumers:{group}:Ordering"] = ordering,
        });

    /// <summary>Records by first handling (a restart may hand a record twice: at least once).</summary>
    private static List<TestOrder> FirstHandled(Recorder recorder) =>
        [.. recorder.Handled.Select(h => (TestOrder)h.Message!).DistinctBy(o => o.Id)];

    private static void AssertKeyOrder(Recorder recorder)
    {
        foreach (var key in FirstHandled(recorder).GroupBy(o => o.Id % Keys))
        {
            Assert.Equal(Enumerable.Range(0, PerKey), key.Select(o => o.Seq));
        }
    }

    private List<ConsumeResult<byte[]?, byte[]?>> RetryTopicRecords(string topic) =>
        [.. new[] { "-retry-100", "-retry-200", "-retry-400" }.SelectMany(s => KafkaIo.WaitForRecords(fixture.Bootstrap, topic + s, int.MaxValue, TimeSpan.FromSeconds(2)))];

    private int DltCount(string topic) => KafkaIo.WaitForRecords(fixture.Bootstrap, topic + "-dlt", int.MaxValue, TimeSpan.FromSeconds(1)).Count;
}
