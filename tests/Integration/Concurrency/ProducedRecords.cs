using System.Globalization;
using System.Text;
using KafkaPipeline.Tests.Support;

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
        var delivered = await KafkaIo.ProduceAsync(bootstrap, topic, Enumerable.Range(0, count).Select(i =>
            (i % keys % partitions, KafkaIo.TextMessage($"k{i % keys}", i.ToString(CultureInfo.InvariantCulture)))));

        var records = new ProducedRecords();
        foreach (var result in delivered.OrderBy(d => d.Offset.Value))
        {
            records.Add(result.Partition.Value, Encoding.UTF8.GetString(result.Message.Key!), result.Offset.Value);
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
