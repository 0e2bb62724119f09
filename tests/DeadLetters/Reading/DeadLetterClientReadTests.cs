using System.Net;
using System.Net.Sockets;
using KafkaPipeline.DeadLetters.Connection;
using KafkaPipeline.DeadLetters.Reading;
using KafkaPipeline.DeadLetters.Tests.Support;
using KafkaPipeline.Tests.Support;

namespace KafkaPipeline.DeadLetters.Tests.Reading;

public sealed class DeadLetterClientReadTests(OneBrokerCluster fixture) : IClassFixture<OneBrokerCluster>
{
    private DeadLetterClient Client() => new(new KafkaConnectionSettings { BootstrapServers = fixture.Bootstrap, Timeout = TimeSpan.FromSeconds(10) });

    [Fact]
    public async Task ReadAsync_SpringFormatHeaders_DecodesCoordinatesExceptionAndGroup()
    {
        var topic = fixture.CreateTopicWithDeadLetters("spring");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 1, new SpringDeadLetter(topic, 2, 4242) { OriginalTimestampMs = 1_700_000_123_456, Group = "billing" });

        var record = Assert.Single(await ReadAllAsync(topic + "-dlt"));

        Assert.Equal((1, 0L), (record.Partition, record.Offset));
        var info = Assert.IsType<ErrorHandling.Recovery.DeadLetterInfo>(record.DeadLetter);
        Assert.Equal(topic, info.OriginalTopic);
        Assert.Equal(2, info.OriginalPartition);
        Assert.Equal(4242L, info.OriginalOffset);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_123_456), record.OriginalTimestamp);
        Assert.Equal(Confluent.Kafka.TimestampType.CreateTime, info.OriginalTimestampType);
        Assert.Equal("billing", info.OriginalConsumerGroup);
        Assert.Equal("org.springframework.kafka.listener.ListenerExecutionFailedException", info.ExceptionType);
        Assert.Equal("java.lang.IllegalStateException", info.ExceptionCauseType);
        Assert.Contains("order total is negative", info.ExceptionMessage, StringComparison.Ordinal);
        Assert.Contains("OrderListener.java:42", info.ExceptionStackTrace, StringComparison.Ordinal);
        Assert.Equal("key-1", record.KeyText);
        Assert.Equal(0, record.ReplayCount);
        Assert.Equal(["message-id", "trace"], record.Headers.Take(2).Select(h => h.Name));
    }

    [Fact]
    public async Task ReadAsync_RecordWithoutDeadLetterHeaders_HasNoDeadLetterInfo()
    {
        var topic = fixture.CreateTopicWithDeadLetters("plain");
        await KafkaIo.ProduceTextAsync(fixture.Bootstrap, topic + "-dlt", 0, "hand-made");

        var record = Assert.Single(await ReadAllAsync(topic + "-dlt"));

        Assert.Null(record.DeadLetter);
        Assert.Equal("hand-made", KafkaIo.Text(record.Value));
    }

    public static TheoryData<string, DeadLetterFilter, string[]> Filters => new()
    {
        { "exception type (part, any case)", new DeadLetterFilter { ExceptionType = "timeout" }, ["b", "d"] },
        { "root cause type", new DeadLetterFilter { ExceptionType = "IllegalState" }, ["a", "c"] },
        { "key", new DeadLetterFilter { Key = "c" }, ["c"] },
        { "original partition", new DeadLetterFilter { OriginalPartition = 1 }, ["b", "d"] },
        { "dead-letter partition", new DeadLetterFilter { Partition = 2 }, ["e"] },
        { "offset range", new DeadLetterFilter { Partition = 0, FromOffset = 1, ToOffset = 2 }, ["b", "c"] },
        { "time range", new DeadLetterFilter { FromTime = T(2), ToTime = T(4) }, ["b", "c"] },
        { "message text (any case)", new DeadLetterFilter { MessageContains = "WAREHOUSE" }, ["d"] },
        { "original topic", new DeadLetterFilter { OriginalTopic = "other-topic" }, ["e"] },
        { "several criteria", new DeadLetterFilter { ExceptionType = "Timeout", OriginalPartition = 1, MessageContains = "payment" }, ["b"] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task ReadAsync_Filter_ReturnsOnlyMatchingRecords(string criterion, DeadLetterFilter filter, string[] expectedKeys)
    {
        var dlt = await ProduceFilterFixtureAsync();

        var keys = new List<string?>();
        await foreach (var record in Client().ReadAsync(dlt, filter))
        {
            keys.Add(record.KeyText);
        }

        Assert.True(expectedKeys.SequenceEqual(keys.Order()), $"{criterion}: expected [{string.Join(",", expectedKeys)}], got [{string.Join(",", keys)}]");
    }

    [Fact]
    public async Task ReadAsync_AnyRead_CommitsNothingAndLeavesApplicationGroupsAlone()
    {
        var topic = fixture.CreateTopicWithDeadLetters("nocommit");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, new SpringDeadLetter(topic, 0, 1), new SpringDeadLetter(topic, 0, 2));

        Assert.Equal(2, (await ReadAllAsync(topic + "-dlt")).Count);
        await Client().ListTopicsAsync(new Listing.DeadLetterListOptions { Suffixes = [topic + "-dlt"] });

        Assert.All(KafkaIo.Committed(fixture.Bootstrap, "kafka-dlt-inspect", topic + "-dlt", 3), Assert.Null);
        Assert.All(KafkaIo.Committed(fixture.Bootstrap, "kafka-dlt-list", topic + "-dlt", 3), Assert.Null);
        Assert.All(KafkaIo.Committed(fixture.Bootstrap, "billing", topic + "-dlt", 3), Assert.Null);
    }

    [Fact]
    public async Task ReadAsync_RecordsArrivingDuringRead_StopsAtTheEndSeenAtStart()
    {
        var topic = fixture.CreateTopicWithDeadLetters("bounded");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, new SpringDeadLetter(topic, 0, 1), new SpringDeadLetter(topic, 0, 2));

        var read = 0;
        await foreach (var record in Client().ReadAsync(topic + "-dlt"))
        {
            if (read++ == 0)
            {
                await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, new SpringDeadLetter(topic, 0, 3));
            }
        }

        Assert.Equal(2, read);
    }

    [Fact]
    public async Task GetRecordAsync_ExistingCoordinates_ReturnsThatRecord()
    {
        var topic = fixture.CreateTopicWithDeadLetters("get");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 2, new SpringDeadLetter(topic, 0, 1) { Key = "x" }, new SpringDeadLetter(topic, 0, 2) { Key = "y" });

        var record = await Client().GetRecordAsync(topic + "-dlt", 2, 1);

        Assert.Equal(("y", 2, 1L), (record.KeyText, record.Partition, record.Offset));
    }

    [Fact]
    public async Task GetRecordAsync_OffsetBeyondEnd_ThrowsRecordNotFound()
    {
        var topic = fixture.CreateTopicWithDeadLetters("missing");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, new SpringDeadLetter(topic, 0, 1));

        var error = await Assert.ThrowsAsync<DeadLetterOperationException>(() => Client().GetRecordAsync(topic + "-dlt", 0, 99));

        Assert.Equal(DeadLetterErrorKind.RecordNotFound, error.Kind);
        Assert.Contains("offset 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetRecordAsync_PartitionTheTopicLacks_ThrowsRecordNotFound()
    {
        var topic = fixture.CreateTopicWithDeadLetters("getnopart");

        var error = await Assert.ThrowsAsync<DeadLetterOperationException>(() => Client().GetRecordAsync(topic + "-dlt", 7, 0));

        Assert.Equal(DeadLetterErrorKind.RecordNotFound, error.Kind);
        Assert.Contains("partition 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_PartitionTheTopicLacks_ThrowsInvalidRequest()
    {
        var topic = fixture.CreateTopicWithDeadLetters("nopart");

        var error = await Assert.ThrowsAsync<DeadLetterOperationException>(() => ReadAllAsync(topic + "-dlt", new DeadLetterFilter { Partition = 7 }));

        Assert.Equal(DeadLetterErrorKind.InvalidRequest, error.Kind);
        Assert.Contains("partition 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_UnknownTopic_ThrowsTopicNotFoundWithoutCreatingIt()
    {
        var name = ClusterFixture.Unique("nope") + "-dlt";

        var error = await Assert.ThrowsAsync<DeadLetterOperationException>(() => ReadAllAsync(name));

        Assert.Equal(DeadLetterErrorKind.TopicNotFound, error.Kind);
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        var again = await Assert.ThrowsAsync<DeadLetterOperationException>(() => ReadAllAsync(name));
        Assert.Equal(DeadLetterErrorKind.TopicNotFound, again.Kind);
    }

    [Fact]
    public async Task ListTopicsAsync_UnreachableBrokers_ThrowsBrokersUnreachableWithinTimeout()
    {
        var client = new DeadLetterClient(new KafkaConnectionSettings { BootstrapServers = $"127.0.0.1:{ClosedPort()}", Timeout = TimeSpan.FromSeconds(2) });

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<DeadLetterOperationException>(() => client.ListTopicsAsync());

        Assert.Equal(DeadLetterErrorKind.BrokersUnreachable, error.Kind);
        Assert.Contains("Could not reach the Kafka brokers", error.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Theory]
    [InlineData("refused", "Connection refused")]
    [InlineData("unresolvable", "Failed to resolve")]
    public async Task ListTopicsAsync_RefusedOrUnresolvable_FailsFastWithTheClientError(string kind, string cause)
    {
        // Loopback only: a closed local port refuses at once; a .invalid name fails to resolve locally.
        var bootstrap = kind == "refused" ? $"127.0.0.1:{ClosedPort()}" : "no-such-host.invalid:9092";
        var client = new DeadLetterClient(new KafkaConnectionSettings { BootstrapServers = bootstrap, Timeout = TimeSpan.FromMinutes(2) });

        var listing = client.ListTopicsAsync();
        var error = await Assert.ThrowsAsync<DeadLetterOperationException>(() => listing.WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(DeadLetterErrorKind.BrokersUnreachable, error.Kind);
        Assert.Contains(cause, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("brokers are down", error.Message, StringComparison.Ordinal);
    }

    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static DateTimeOffset T(int minute) => new(2025, 3, 1, 10, minute, 0, TimeSpan.Zero);

    private async Task<string> ProduceFilterFixtureAsync()
    {
        var topic = fixture.CreateTopicWithDeadLetters("filter");
        var dlt = topic + "-dlt";
        SpringDeadLetter Make(string key, int originalPartition, string exception, string cause, string message, int minute) =>
            new(topic, originalPartition, 10) { Key = key, ExceptionFqcn = exception, CauseFqcn = cause, Message = message, FailedAt = T(minute) };
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, dlt, 0,
            Make("a", 0, "ListenerExecutionFailedException", "java.lang.IllegalStateException", "order total is negative", 1),
            Make("b", 1, "System.TimeoutException", "System.TimeoutException", "payment service timed out", 2),
            Make("c", 0, "ListenerExecutionFailedException", "java.lang.IllegalStateException", "customer unknown", 3),
            Make("d", 1, "Shop.WarehouseTimeoutException", "System.Net.Sockets.SocketException", "Warehouse did not answer", 4));
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, dlt, 2,
            new SpringDeadLetter("other-topic", 0, 5) { Key = "e", ExceptionFqcn = "X.Y", CauseFqcn = "X.Y", Message = "other", FailedAt = T(5) });
        return dlt;
    }

    private async Task<List<DeadLetterRecord>> ReadAllAsync(string topic, DeadLetterFilter? filter = null)
    {
        var records = new List<DeadLetterRecord>();
        await foreach (var record in Client().ReadAsync(topic, filter))
        {
            records.Add(record);
        }

        return records;
    }
}
