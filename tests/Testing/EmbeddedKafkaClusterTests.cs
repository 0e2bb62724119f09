using Confluent.Kafka;

namespace KafkaPipeline.Testing.Tests;

public sealed class EmbeddedKafkaClusterTests
{
    [Fact]
    public async Task Start_OneBroker_RoundTripsRecordsThroughConfluentClients()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("orders", partitions: 1);
        var sent = Enumerable.Range(0, 10).Select(i => $"order-{i}").ToList();
        using (var producer = TestClients.Producer(cluster))
        {
            foreach (var value in sent)
            {
                await producer.ProduceAsync("orders", new Message<Null, string> { Value = value });
            }
        }

        using var consumer = TestClients.Consumer(cluster, "round-trip");
        consumer.Subscribe("orders");
        var received = new List<string>();
        var deadline = DateTime.UtcNow + TestClients.Deadline;
        while (received.Count < sent.Count && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { } result)
            {
                received.Add(result.Message.Value);
            }
        }

        consumer.Close();
        Assert.Equal(sent, received);
    }

    [Fact]
    public void CreateTopic_SixPartitions_MetadataShowsSixPartitions()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("six", partitions: 6);

        using var admin = TestClients.Admin(cluster);
        var topic = Assert.Single(admin.GetMetadata("six", TestClients.Deadline).Topics);

        Assert.Equal(ErrorCode.NoError, topic.Error.Code);
        Assert.Equal([0, 1, 2, 3, 4, 5], topic.Partitions.Select(p => p.PartitionId).Order());
    }

    [Fact]
    public void CreateTopic_ThreeBrokersReplicationFactorThree_EveryPartitionHasThreeReplicas()
    {
        using var cluster = EmbeddedKafkaCluster.Start(brokers: 3);
        cluster.CreateTopic("replicated", partitions: 3, replicationFactor: 3);

        using var admin = TestClients.Admin(cluster);
        var metadata = admin.GetMetadata("replicated", TestClients.Deadline);

        Assert.Equal(3, cluster.BrokerCount);
        Assert.Equal([1, 2, 3], metadata.Brokers.Select(b => b.BrokerId).Order());
        var topic = Assert.Single(metadata.Topics);
        Assert.Equal(3, topic.Partitions.Count);
        Assert.All(topic.Partitions, p => Assert.Equal([1, 2, 3], p.Replicas.Order()));
    }

    [Fact]
    public void SetPartitionLeader_BrokerTwo_MetadataReportsBrokerTwoAsLeader()
    {
        using var cluster = EmbeddedKafkaCluster.Start(brokers: 3);
        cluster.CreateTopic("led", partitions: 1, replicationFactor: 3);

        cluster.SetPartitionLeader("led", partition: 0, brokerId: 2);

        using var admin = TestClients.Admin(cluster);
        var partition = Assert.Single(Assert.Single(admin.GetMetadata("led", TestClients.Deadline).Topics).Partitions);
        Assert.Equal(2, partition.Leader);
    }

    [Fact]
    public async Task SetBrokerDown_OnlyBroker_ProduceTimesOutUntilBrokerIsUpAgain()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("faulty");
        using var producer = TestClients.Producer(cluster, c => c.MessageTimeoutMs = 1000);
        await producer.ProduceAsync("faulty", new Message<Null, string> { Value = "before" });

        cluster.SetBrokerDown(1);
        var failure = await Assert.ThrowsAsync<ProduceException<Null, string>>(
            () => producer.ProduceAsync("faulty", new Message<Null, string> { Value = "while down" }));
        cluster.SetBrokerUp(1);
        var delivered = await TestClients.ProduceUntilDeliveredAsync(producer, "faulty", "after");

        Assert.Equal(ErrorCode.Local_MsgTimedOut, failure.Error.Code);
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
    }

    [Fact]
    public async Task PushRequestErrors_ProduceError_NonIdempotentProducerWithoutRetriesGetsThatError()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("rejected");
        using var producer = TestClients.Producer(cluster, c =>
        {
            c.EnableIdempotence = false;
            c.MessageSendMaxRetries = 0;
        });

        cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.NotEnoughReplicas);
        var failure = await Assert.ThrowsAsync<ProduceException<Null, string>>(
            () => producer.ProduceAsync("rejected", new Message<Null, string> { Value = "first" }));
        var next = await producer.ProduceAsync("rejected", new Message<Null, string> { Value = "second" });

        Assert.Equal(ErrorCode.NotEnoughReplicas, failure.Error.Code);
        Assert.Equal(PersistenceStatus.Persisted, next.Status);
    }

    [Fact]
    public async Task SetBrokerRtt_LongerThanMessageTimeout_ProduceTimesOutUntilRttIsCleared()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("slow");
        using var producer = TestClients.Producer(cluster, c => c.MessageTimeoutMs = 500);

        cluster.SetBrokerRtt(1, TimeSpan.FromSeconds(3));
        var failure = await Assert.ThrowsAsync<ProduceException<Null, string>>(
            () => producer.ProduceAsync("slow", new Message<Null, string> { Value = "slow" }));
        cluster.SetBrokerRtt(1, TimeSpan.Zero);
        var delivered = await TestClients.ProduceUntilDeliveredAsync(producer, "slow", "fast");

        Assert.Equal(ErrorCode.Local_MsgTimedOut, failure.Error.Code);
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
    }

    [Fact]
    public async Task Start_ManyClustersInALoop_EachGetsItsOwnBrokersAndDisposesCleanly()
    {
        var seen = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            using var cluster = EmbeddedKafkaCluster.Start(brokers: 1 + (i % 3));
            Assert.False(string.IsNullOrWhiteSpace(cluster.BootstrapServers));
            cluster.CreateTopic("loop");
        }

        using var first = EmbeddedKafkaCluster.Start();
        using var second = EmbeddedKafkaCluster.Start();
        seen.Add(first.BootstrapServers);
        seen.Add(second.BootstrapServers);
        using var producer = TestClients.Producer(second);
        var delivered = await producer.ProduceAsync("after-loop", new Message<Null, string> { Value = "alive" });

        Assert.Equal(2, seen.Count);
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
    }

    [Fact]
    public void Start_InvalidOptions_ThrowsListingEveryBrokenRule()
    {
        var options = new EmbeddedKafkaClusterOptions { BrokerCount = 0, InitialRebalanceDelay = TimeSpan.FromSeconds(-1) };

        var error = Assert.Throws<ArgumentException>(() => EmbeddedKafkaCluster.Start(options));

        Assert.Contains(nameof(EmbeddedKafkaClusterOptions.BrokerCount), error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(EmbeddedKafkaClusterOptions.InitialRebalanceDelay), error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => EmbeddedKafkaCluster.Start(brokers: 0));
        Assert.Throws<ArgumentNullException>(() => EmbeddedKafkaCluster.Start(null!));
    }

    [Fact]
    public void CreateTopic_InvalidArguments_ThrowArgumentExceptions()
    {
        using var cluster = EmbeddedKafkaCluster.Start(brokers: 2);

        Assert.Throws<ArgumentNullException>(() => cluster.CreateTopic(null!));
        Assert.Throws<ArgumentException>(() => cluster.CreateTopic(" "));
        Assert.Throws<ArgumentException>(() => cluster.CreateTopic("no spaces"));
        Assert.Throws<ArgumentException>(() => cluster.CreateTopic(new string('t', 250)));
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.CreateTopic("t", partitions: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.CreateTopic("t", replicationFactor: 0));
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() => cluster.CreateTopic("t", replicationFactor: 3));
        Assert.Contains("2 broker", tooMany.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateTopic_ExistingTopic_ThrowsNamingTheCallAndLibrdkafkaError()
    {
        using var cluster = EmbeddedKafkaCluster.Start();
        cluster.CreateTopic("twice");

        var error = Assert.Throws<InvalidOperationException>(() => cluster.CreateTopic("twice"));

        Assert.Contains("rd_kafka_mock_topic_create", error.Message, StringComparison.Ordinal);
        Assert.Contains("'twice'", error.Message, StringComparison.Ordinal);
        Assert.Contains("TOPIC_ALREADY_EXISTS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokerOperations_UnknownBrokerOrBadValues_ThrowArgumentExceptions()
    {
        using var cluster = EmbeddedKafkaCluster.Start(brokers: 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.SetBrokerDown(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.SetBrokerUp(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.SetPartitionLeader("t", 0, brokerId: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.SetPartitionLeader("t", -1, brokerId: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.SetBrokerRtt(1, TimeSpan.FromMilliseconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.SetGroupInitialRebalanceDelay(TimeSpan.MaxValue));
        Assert.Throws<ArgumentException>(() => cluster.PushRequestErrors(KafkaApiKey.Produce));
        Assert.Throws<ArgumentOutOfRangeException>(() => cluster.PushRequestErrors(-1, ErrorCode.NotEnoughReplicas));
    }

    [Fact]
    public void Dispose_Twice_IsIdempotentAndLaterCallsThrowObjectDisposed()
    {
        var cluster = EmbeddedKafkaCluster.Start();

        cluster.Dispose();
        cluster.Dispose();

        Assert.Throws<ObjectDisposedException>(() => cluster.CreateTopic("late"));
        Assert.Throws<ObjectDisposedException>(() => cluster.SetBrokerDown(1));
    }
}
