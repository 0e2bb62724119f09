using System.Text;
using Confluent.Kafka;
using KafkaPipeline.Native;

namespace KafkaPipeline.Benchmarks.Throughput;

/// <summary>The pre-produced records every run reads: produced once with acks=all, then verified by watermark offsets.</summary>
internal sealed class Dataset
{
    private Dataset(string bootstrap, string topic, long[] perPartition)
    {
        Bootstrap = bootstrap;
        Topic = topic;
        PerPartition = perPartition;
    }

    public string Bootstrap { get; }

    public string Topic { get; }

    public IReadOnlyList<long> PerPartition { get; }

    public long Total => PerPartition.Sum();

    public static Dataset Produce(string bootstrap, string topic, BenchmarkSettings settings)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var perPartition = new long[settings.Partitions];
        var failures = 0L;
        string? firstFailure = null;
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 20,
            BatchSize = 512 * 1024,
        }).Build())
        {
            for (var id = 0; id < settings.Records; id++)
            {
                var partition = id % settings.Partitions;
                var sequence = id / settings.Partitions;
                var message = new Message<byte[], byte[]>
                {
                    Key = Encoding.UTF8.GetBytes($"order-{id:D8}"),
                    Value = BenchOrder.Json(id, sequence, settings.RecordBytes),
                };
                Produce(producer, new TopicPartition(topic, partition), message, report =>
                {
                    if (report.Error.IsError)
                    {
                        Interlocked.Increment(ref failures);
                        Interlocked.CompareExchange(ref firstFailure, report.Error.Reason, null);
                    }
                });
                perPartition[partition]++;
            }

            if (producer.Flush(TimeSpan.FromMinutes(2)) > 0)
            {
                throw new InvalidOperationException("Producing the dataset: records still in flight after 2 minutes.");
            }
        }

        if (failures > 0)
        {
            throw new InvalidOperationException($"Producing the dataset: {failures:N0} records were not acknowledged (first error: {firstFailure}).");
        }

        var dataset = new Dataset(bootstrap, topic, perPartition);
        dataset.VerifyWatermarks();
        return dataset;
    }

    /// <summary>Every partition must hold exactly the records produced to it, from offset 0 (the mock prunes old ones past its limits).</summary>
    public void VerifyWatermarks()
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = Bootstrap, GroupId = "watermarks" }).Build();
        var problems = new List<string>();
        for (var partition = 0; partition < PerPartition.Count; partition++)
        {
            var marks = consumer.QueryWatermarkOffsets(new TopicPartition(Topic, partition), TimeSpan.FromSeconds(10));
            if (marks.Low.Value != 0 || marks.High.Value != PerPartition[partition])
            {
                problems.Add($"partition {partition}: low {marks.Low.Value}, high {marks.High.Value}, produced {PerPartition[partition]}");
            }
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The mock cluster does not hold exactly the produced records (pruned or lost): " + string.Join("; ", problems));
        }
    }

    /// <summary>After a run, the group's committed offsets must equal the end of every partition.</summary>
    public void VerifyCommitted(string groupId, string what)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = Bootstrap, GroupId = groupId }).Build();
        var partitions = Enumerable.Range(0, PerPartition.Count).Select(p => new TopicPartition(Topic, p));
        var committed = consumer.Committed(partitions, TimeSpan.FromSeconds(10));
        var wrong = committed.Where(c => c.Offset.Value != PerPartition[c.Partition.Value])
            .Select(c => $"partition {c.Partition.Value} committed {c.Offset.Value}, end {PerPartition[c.Partition.Value]}")
            .ToList();
        if (wrong.Count > 0 || committed.Count != PerPartition.Count)
        {
            throw new InvalidOperationException($"{what}: committed offsets do not cover exactly the produced records: {string.Join("; ", wrong)}");
        }
    }

    private static void Produce(IProducer<byte[], byte[]> producer, TopicPartition partition, Message<byte[], byte[]> message, Action<DeliveryReport<byte[], byte[]>> report)
    {
        while (true)
        {
            try
            {
                producer.Produce(partition, message, report);
                return;
            }
            catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }
}
