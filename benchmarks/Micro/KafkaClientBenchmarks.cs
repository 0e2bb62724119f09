using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using KafkaPipeline.Testing;

namespace KafkaPipeline.Benchmarks;

/// <summary>
/// Reference: what Confluent.Kafka's <c>StoreOffset</c> costs per record. The raw loop and the pipeline
/// both pay it once per record; it is the largest single Kafka-client cost on the poll thread.
/// </summary>
[MemoryDiagnoser]
public class KafkaClientBenchmarks
{
    private const string Topic = "store-offset";
    private EmbeddedKafkaCluster _cluster = null!;
    private IConsumer<byte[]?, byte[]?> _consumer = null!;
    private long _offset;

    [GlobalSetup]
    public void Setup()
    {
        _cluster = EmbeddedKafkaCluster.Start();
        _cluster.CreateTopic(Topic, partitions: 1);
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(new ConsumerConfig
        {
            BootstrapServers = _cluster.BootstrapServers,
            GroupId = "store-offset-bench",
            EnableAutoOffsetStore = false,
            EnableAutoCommit = true,
            AutoCommitIntervalMs = 5000,
        }).Build();
        _consumer.Assign(new TopicPartitionOffset(Topic, 0, Offset.Beginning));
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _consumer.Dispose();
        _cluster.Dispose();
    }

    /// <summary>One <c>StoreOffset</c> as the commit step does it (a new TopicPartitionOffset per record).</summary>
    [Benchmark]
    public void Consumer_StoreOffset() => _consumer.StoreOffset(new TopicPartitionOffset(Topic, 0, ++_offset));
}
