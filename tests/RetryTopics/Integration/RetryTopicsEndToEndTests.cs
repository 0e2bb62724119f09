using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.RetryTopics.Configuration;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.RetryTopics.Tests.Integration;

/// <summary>Retry topics end to end on the embedded cluster: tiers, Spring's headers, the DLT, commits, restarts.</summary>
public sealed class RetryTopicsEndToEndTests(ThreeBrokerCluster fixture) : IClassFixture<ThreeBrokerCluster>
{
    private static readonly Action<RetryTopicOptions> ThreeTiers = o =>
    {
        o.Attempts = 4;
        o.Delay = TimeSpan.FromMilliseconds(200);
        o.Multiplier = 2;
    };

    [Fact]
    public async Task FailingRecord_WalksTiersWithSpringHeadersThenDlt_OthersFlowAndAllCommitted()
    {
        var options = new RetryTopicOptions();
        ThreeTiers(options);
        var (topic, group) = RetryTopicsHost.Topics(fixture, partitions: 2, options);
        await KafkaIo.ProduceAsync(fixture.Bootstrap, topic, Enumerable.Range(0, 5).Select(i => (1, (string?)"k", (string?)$"{{\"id\":{i},\"seq\":{i}}}", (Headers?)null)));
        var main = KafkaIo.WaitForRecords(fixture.Bootstrap, topic, 5).Single(r => r.Offset.Value == 1);
        var deliveries = new ConcurrentQueue<(string Topic, DateTimeOffset At)>();
        var recorder = new Recorder
        {
            Behavior = c =>
            {
                if (c.Message is TestOrder { Id: 1 })
                {
                    deliveries.Enqueue((c.Topic, DateTimeOffset.UtcNow));
                    throw new InvalidOperationException("order 1 rejected");
                }

                return ValueTask.CompletedTask;
            },
        };

        await using var host = await RetryTopicsHost.StartAsync(fixture, recorder, topic, group, ThreeTiers);
        var dlt = KafkaIo.WaitForRecords(fixture.Bootstrap, topic + "-dlt", 1).Single();

        Assert.Equal([topic, topic + "-retry-200", topic + "-retry-400", topic + "-retry-800"], deliveries.Select(d => d.Topic));
        Assert.Equal([0, 2, 3, 4], recorder.Handled.Select(h => ((TestOrder)h.Message!).Id).Order());
        var tiers = new[] { "-retry-200", "-retry-400", "-retry-800" }.Select(s => KafkaIo.WaitForRecords(fixture.Bootstrap, topic + s, 1).Single()).ToList();
        for (var i = 0; i < tiers.Count; i++)
        {
            var record = tiers[i];
            Assert.Equal(1, record.Partition.Value); // same partition number as the input record
            Assert.Equal(new byte[] { 0, 0, 0, (byte)(i + 2) }, Last(record, RetryTopicHeaders.Attempts));
            Assert.Equal(RetryTopicHeaders.EncodeTimestamp(main.Message.Timestamp.UnixTimestampMs), Last(record, RetryTopicHeaders.OriginalTimestamp));
            var due = RetryTopicHeaders.DecodeTimestamp(Last(record, RetryTopicHeaders.BackOffTimestamp))!.Value;
            var failedAt = deliveries.ElementAt(i).At.ToUnixTimeMilliseconds();
            Assert.InRange(due - failedAt, (200 * (1 << i)) - 2, (200 * (1 << i)) + 1000); // failure time + the tier's delay
            Assert.True(deliveries.ElementAt(i + 1).At.ToUnixTimeMilliseconds() >= due, $"tier {i} delivered before its due time");
            Assert.Equal(topic, Encoding.UTF8.GetString(Last(record, DeadLetterHeaders.OriginalTopic))); // the first hop's original-* headers stay
            Assert.Equal(1L, DeadLetterHeaders.DecodeInt64(Last(record, DeadLetterHeaders.OriginalOffset)));
            Assert.Single(record.Message.Headers, h => h.Key == RetryTopicHeaders.Attempts);
            Assert.Equal(6, Last(record, RetryTopicHeaders.BackOffTimestamp).Length); // BigInteger.toByteArray(): 6 bytes today, not an 8-byte long
        }

        Assert.Equal(new byte[] { 0, 0, 0, 5 }, Last(dlt, RetryTopicHeaders.Attempts));
        Assert.Equal(1, dlt.Partition.Value);
        Assert.Equal(typeof(InvalidOperationException).FullName, Encoding.UTF8.GetString(Last(dlt, DeadLetterHeaders.ExceptionFqcn)));
        Assert.Equal(Encoding.UTF8.GetBytes("{\"id\":1,\"seq\":1}"), dlt.Message.Value);
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 2)[1] == 5, "main topic committed past the failed record");
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group + "-retry-800", topic + "-retry-800", 2)[1] == 1, "last tier committed in Spring's group name");
    }

    [Fact]
    public async Task RecordDueInFourSeconds_HostRestartsMeanwhile_HandledOnceNotBeforeDue()
    {
        Action<RetryTopicOptions> configure = o =>
        {
            o.Attempts = 2;
            o.Delay = TimeSpan.FromSeconds(4);
        };
        var options = new RetryTopicOptions();
        configure(options);
        var (topic, group) = RetryTopicsHost.Topics(fixture, partitions: 1, options);
        await KafkaIo.ProduceAsync(fixture.Bootstrap, topic, [(0, "k", "{\"id\":7,\"seq\":0}", null)]);
        var recorder = new Recorder
        {
            Behavior = c => c.Topic == topic ? throw new TimeoutException("downstream slow") : ValueTask.CompletedTask,
        };

        var first = await RetryTopicsHost.StartAsync(fixture, recorder, topic, group, configure, name: "first");
        var retried = KafkaIo.WaitForRecords(fixture.Bootstrap, topic + "-retry", 1).Single();
        var due = RetryTopicHeaders.DecodeTimestamp(Last(retried, RetryTopicHeaders.BackOffTimestamp))!.Value;
        await first.DisposeAsync(); // stops long before the record is due
        Assert.True(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() < due, "the host stopped before the due time");
        Assert.Equal(0, recorder.Count);

        await using var second = await RetryTopicsHost.StartAsync(fixture, recorder, topic, group, configure, name: "second");
        await Eventually.True(() => recorder.Count == 1, "the retried record handled after the restart");
        var handledAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Assert.True(handledAt >= due, "handled before its due time");
        var handled = Assert.Single(recorder.Handled);
        Assert.Equal(("second", topic + "-retry"), (handled.Host, handled.Topic));
        Assert.Equal(1, handled.Attempt); // waiting for the due time is no delivery attempt (ErrorDisposition.Defer)
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group + "-retry", topic + "-retry", 1)[0] == 1, "retry topic committed");
        Assert.Equal(1, recorder.Count);
    }

    [Fact]
    public async Task SpringWrittenRetryRecord_OneByteAttempts_WaitsForDueThenForwardedWithAttemptsPlusOne()
    {
        Action<RetryTopicOptions> configure = o =>
        {
            o.Attempts = 4;
            o.SameIntervalTopicReuse = SameIntervalTopicReuseStrategy.MultipleTopics; // orders-retry-0, -1, -2
        };
        var options = new RetryTopicOptions();
        configure(options);
        var (topic, group) = RetryTopicsHost.Topics(fixture, partitions: 1, options);
        var due = DateTimeOffset.UtcNow.AddSeconds(2).ToUnixTimeMilliseconds();
        var original = RetryTopicHeaders.EncodeTimestamp(1_700_000_000_000);
        var headers = new Headers
        {
            { RetryTopicHeaders.OriginalTimestamp, original },
            { RetryTopicHeaders.Attempts, [2] }, // the single byte older spring-kafka versions wrote
            { RetryTopicHeaders.BackOffTimestamp, RetryTopicHeaders.EncodeTimestamp(due) },
            { DeadLetterHeaders.OriginalTopic, Encoding.UTF8.GetBytes(topic) },
        };
        await KafkaIo.ProduceAsync(fixture.Bootstrap, topic + "-retry-0", [(0, "k", "{\"id\":5,\"seq\":0}", headers)]);
        var deliveredAt = 0L;
        var recorder = new Recorder
        {
            Behavior = c =>
            {
                Interlocked.CompareExchange(ref deliveredAt, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 0);
                throw new TimeoutException("still down");
            },
        };

        await using var host = await RetryTopicsHost.StartAsync(fixture, recorder, topic, group, configure);
        var next = KafkaIo.WaitForRecords(fixture.Bootstrap, topic + "-retry-1", 1).Single();

        Assert.True(Interlocked.Read(ref deliveredAt) >= due, "delivered before the due time Spring wrote");
        Assert.Equal(new byte[] { 0, 0, 0, 3 }, Last(next, RetryTopicHeaders.Attempts));
        Assert.Equal(original, Last(next, RetryTopicHeaders.OriginalTimestamp));
        Assert.Equal(topic, Encoding.UTF8.GetString(Last(next, DeadLetterHeaders.OriginalTopic)));
    }

    [Fact]
    public async Task MissingRetryTopic_AutoCreateOff_StartFailsNamingTopicAndFix()
    {
        var topic = ClusterFixture.Unique("orders");
        fixture.Cluster.CreateTopic(topic, 1);
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            RetryTopicsHost.StartAsync(fixture, new Recorder(), topic, ClusterFixture.Unique("group"), o => o.Attempts = 2));
        Assert.Contains($"topic '{topic}-retry' does not exist", failure.Message);
        Assert.Contains($"topic '{topic}-dlt' does not exist", failure.Message);
        Assert.Contains("Fix:", failure.Message);
    }

    [Fact]
    public async Task MissingRetryTopic_AutoCreateOnMockCluster_StartFailsNamingTopicsAndFix()
    {
        var topic = ClusterFixture.Unique("orders");
        fixture.Cluster.CreateTopic(topic, 1);
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => PipelineHost.StartAsync(
            fixture.Bootstrap,
            new Recorder(),
            b => b.AddHandler<OrderHandler>(topic, ClusterFixture.Unique("group"))
                .UseRetryTopics(rt => rt.ForHandler<OrderHandler>(o => o.Attempts = 2).ProvisioningTimeout(TimeSpan.FromSeconds(2)))));

        // librdkafka's mock cluster serves no CreateTopics: the start fails instead of running without retry topics.
        Assert.Contains($"'{topic}-retry'", failure.Message);
        Assert.Contains("Fix:", failure.Message);
    }

    private static byte[] Last(ConsumeResult<byte[]?, byte[]?> record, string header) =>
        record.Message.Headers.TryGetLastBytes(header, out var bytes) ? bytes : throw new Xunit.Sdk.XunitException($"no header {header}");
}
