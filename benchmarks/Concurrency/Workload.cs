using System.Buffers.Binary;
using System.Globalization;
using Confluent.Kafka;
using KafkaPipeline.Native;

namespace KafkaPipeline.Benchmarks.Concurrency;

/// <summary>
/// Pre-produced records: record <c>id</c> has key <c>id % Keys</c> (UTF-8 <c>key-0042</c>) and goes to partition
/// <c>key % Partitions</c>, as a key-hashing producer would; its value starts with the id (8 bytes, big-endian).
/// Produced once with acks=all, then checked by watermark offsets (the mock prunes old records past its limits).
/// </summary>
internal sealed class Workload
{
    private const int ValueBytes = 100;

    private Workload(string bootstrap, string topic, int records, int partitions, int keys, long[] perPartition)
    {
        Bootstrap = bootstrap;
        Topic = topic;
        Records = records;
        Partitions = partitions;
        Keys = keys;
        PerPartition = perPartition;
    }

    public string Bootstrap { get; }

    public string Topic { get; }

    public int Records { get; }

    public int Partitions { get; }

    public int Keys { get; }

    public IReadOnlyList<long> PerPartition { get; }

    public int KeyOf(long id) => (int)(id % Keys);

    public int PartitionOf(long id) => KeyOf(id) % Partitions;

    /// <summary>Position of the record among the records of its key: 0, 1, 2, …</summary>
    public long SequenceOf(long id) => id / Keys;

    public static long IdOf(byte[]? value) =>
        value is { Length: >= 8 } ? BinaryPrimitives.ReadInt64BigEndian(value) : throw new InvalidOperationException("a record without a benchmark id");

    public static Workload Produce(string bootstrap, string topic, int records, int partitions, int keys)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var workload = new Workload(bootstrap, topic, records, partitions, keys, new long[partitions]);
        var perPartition = new long[partitions];
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
            for (long id = 0; id < records; id++)
            {
                var value = new byte[ValueBytes];
                BinaryPrimitives.WriteInt64BigEndian(value, id);
                var key = System.Text.Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"key-{workload.KeyOf(id):D4}"));
                var partition = workload.PartitionOf(id);
                var message = new Message<byte[], byte[]> { Key = key, Value = value };
                while (true)
                {
                    try
                    {
                        producer.Produce(new TopicPartition(topic, partition), message, report =>
                        {
                            if (report.Error.IsError)
                            {
                                Interlocked.Increment(ref failures);
                                Interlocked.CompareExchange(ref firstFailure, report.Error.Reason, null);
                            }
                        });
                        break;
                    }
                    catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(50));
                    }
                }

                perPartition[partition]++;
            }

            if (producer.Flush(TimeSpan.FromMinutes(2)) > 0 || failures > 0)
            {
                throw new InvalidOperationException($"producing {records:N0} records: {failures:N0} not acknowledged (first error: {firstFailure ?? "still in flight after 2 minutes"}).");
            }
        }

        var produced = new Workload(bootstrap, topic, records, partitions, keys, perPartition);
        produced.VerifyEnds(topic, perPartition, "the mock cluster does not hold exactly the produced records (pruned or lost)");
        return produced;
    }

    /// <summary>After a run, the group's committed offsets must equal the end of every partition.</summary>
    public void VerifyCommitted(string groupId, string run)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = Bootstrap, GroupId = groupId }).Build();
        var committed = consumer.Committed(Enumerable.Range(0, Partitions).Select(p => new TopicPartition(Topic, p)), TimeSpan.FromSeconds(10));
        var wrong = committed.Where(c => c.Offset.Value != PerPartition[c.Partition.Value])
            .Select(c => $"partition {c.Partition.Value} committed {c.Offset.Value}, end {PerPartition[c.Partition.Value]}").ToList();
        if (wrong.Count > 0 || committed.Count != Partitions)
        {
            throw new InvalidOperationException($"{run}: committed offsets do not cover exactly the produced records: {string.Join("; ", wrong)}");
        }
    }

    /// <summary>Total records a topic holds (high watermarks; every topic here starts at offset 0).</summary>
    public long CountIn(string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = Bootstrap, GroupId = "bench-watermarks" }).Build();
        return Enumerable.Range(0, partitions).Sum(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value);
    }

    private void VerifyEnds(string topic, long[] expected, string problem)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = Bootstrap, GroupId = "bench-watermarks" }).Build();
        var wrong = Enumerable.Range(0, expected.Length)
            .Select(p => (p, marks: consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10))))
            .Where(x => x.marks.Low.Value != 0 || x.marks.High.Value != expected[x.p])
            .Select(x => $"partition {x.p}: low {x.marks.Low.Value}, high {x.marks.High.Value}, produced {expected[x.p]}").ToList();
        if (wrong.Count > 0)
        {
            throw new InvalidOperationException($"{problem}: {string.Join("; ", wrong)}");
        }
    }
}
