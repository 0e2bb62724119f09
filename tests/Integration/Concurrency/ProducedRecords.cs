using System.Text;
using Confluent.Kafka;
using KafkaPipeline.Native;

namespace KafkaPipeline.IntegrationTests.Concurrency;

/// <summary>The records of a concurrency run as the broker stored them: key and offset per partition.</summary>
internal sealed class ProducedRecords
{
    private readonly Dictionary<int, List<long>> _byPartition = [];
    private readonly Dictionary<(int, string), List<long>> _byKey = [];

    public int Count { get; private set; }

    public IReadOnlyList<long> OffsetsOf(int partition) => _byPartition[partition];

    public IReadOnlyList<long> OffsetsOf(int partition, string key) => _byKey[(partition, key)];

    public long End(int partition) => _byPartition.TryGetValue(partition, out var offsets) && offsets.Count > 0 ? offsets[^1] + 1 : 0;

    /// <summary>Produces <paramref name="count"/> records of <paramref name="keys"/> keys; a key always goes to the same partition.</summary>
    public static async Task<ProducedRecords> ProduceAsync(string bootstrap, string topic, int partitions, int count, int keys)
    {
        KafkaNativeLibrary.EnsureLoaded();
        using var producer = new ProducerBuilder<byte[]?, byte[]?>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = Acks.All,
            EnableIdempotence = true,
            LingerMs = 5,
        }).Build();
        var pending = new List<Task<DeliveryResult<byte[]?, byte[]?>>>(count);
        for (var i = 0; i < count; i++)
        {
            var key = i % keys;
            pending.Add(producer.ProduceAsync(new TopicPartition(topic, key % partitions), new Message<byte[]?, byte[]?>
            {
                Key = Encoding.UTF8.GetBytes($"k{key}"),
                Value = Encoding.UTF8.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            }));
        }

        var records = new ProducedRecords();
        foreach (var delivered in (await Task.WhenAll(pending)).OrderBy(d => d.Offset.Value))
        {
            records.Add(delivered.Partition.Value, Encoding.UTF8.GetString(delivered.Message.Key!), delivered.Offset.Value);
        }

        return records;
    }

    private void Add(int partition, string key, long offset)
    {
        Count++;
        if (!_byPartition.TryGetValue(partition, out var offsets))
        {
            _byPartition[partition] = offsets = [];
        }

        offsets.Add(offset);
        if (!_byKey.TryGetValue((partition, key), out var keyed))
        {
            _byKey[(partition, key)] = keyed = [];
        }

        keyed.Add(offset);
    }
}
