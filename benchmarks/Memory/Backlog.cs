using System.Globalization;
using System.Text;
using Confluent.Kafka;
using KafkaPipeline.Native;

namespace KafkaPipeline.Benchmarks.Memory;

/// <summary>Produces the backlog (acks=all) and checks every partition holds all of it from offset 0.</summary>
internal static class Backlog
{
    public static void Produce(string bootstrap, string topic, int records, int partitions)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var value = new byte[100];
        var failed = 0;
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = Acks.All,
            LingerMs = 20,
            BatchNumMessages = 10_000,
            QueueBufferingMaxMessages = 1_000_000,
        }).Build())
        {
            for (var i = 0; i < records; i++)
            {
                var key = Encoding.UTF8.GetBytes("key-" + (i % 10_000).ToString(CultureInfo.InvariantCulture));
                while (true)
                {
                    try
                    {
                        producer.Produce(new TopicPartition(topic, i % partitions), new Message<byte[], byte[]> { Key = key, Value = value },
                            report => { if (report.Error.IsError) { Interlocked.Increment(ref failed); } });
                        break;
                    }
                    catch (ProduceException<byte[], byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
                    {
                        producer.Poll(TimeSpan.FromMilliseconds(50));
                    }
                }
            }

            producer.Flush();
        }

        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "watermarks" }).Build();
        var stored = Enumerable.Range(0, partitions).Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10))).ToList();
        if (failed > 0 || stored.Any(w => w.Low != 0) || stored.Sum(w => w.High.Value) != records)
        {
            throw new InvalidOperationException($"backlog incomplete: {failed} failed deliveries, watermarks {string.Join(", ", stored.Select(w => $"{w.Low}-{w.High}"))}");
        }
    }
}
