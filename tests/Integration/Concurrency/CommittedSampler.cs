using System.Collections.Concurrent;
using Confluent.Kafka;
using KafkaPipeline.Tests.Support;

namespace KafkaPipeline.IntegrationTests.Concurrency;

/// <summary>
/// Reads a group's committed offsets over and over while it consumes, and checks each against the records that had
/// finished at that moment: a committed offset must never pass a record that is not finished.
/// </summary>
internal sealed class CommittedSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly Task _loop;
    private long[] _last;
    private int _samples;

    private CommittedSampler(string bootstrap, string group, string topic, int partitions, ProducedRecords produced, ConcurrencyProbe probe)
    {
        _last = new long[partitions];
        _loop = Task.Factory.StartNew(() => Sample(bootstrap, group, topic, partitions, produced, probe), TaskCreationOptions.LongRunning);
    }

    public IReadOnlyCollection<string> Violations => _violations;

    public int Samples => Volatile.Read(ref _samples);

    public long[] Last => Volatile.Read(ref _last);

    public static CommittedSampler Start(string bootstrap, string group, string topic, int partitions, ProducedRecords produced, ConcurrencyProbe probe) =>
        new(bootstrap, group, topic, partitions, produced, probe);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private void Sample(string bootstrap, string group, string topic, int partitions, ProducedRecords produced, ConcurrencyProbe probe)
    {
        using var consumer = KafkaClients.Consumer<Ignore, Ignore>(bootstrap, group);
        var topicPartitions = Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)).ToList();
        var verified = new int[partitions]; // per partition: produced offsets already checked below a committed offset
        while (!_stop.IsCancellationRequested)
        {
            List<TopicPartitionOffset> committed;
            try
            {
                committed = consumer.Committed(topicPartitions, TimeSpan.FromSeconds(5));
            }
            catch (KafkaException)
            {
                continue; // e.g. the coordinator is busy with a rebalance: sample again
            }

            var last = new long[partitions];
            foreach (var offset in committed)
            {
                var p = offset.Partition.Value;
                last[p] = offset.Offset.Value;
                var offsets = produced.OffsetsOf(p);
                while (verified[p] < offsets.Count && offsets[verified[p]] < offset.Offset.Value)
                {
                    if (!probe.IsFinished(p, offsets[verified[p]]))
                    {
                        _violations.Enqueue($"committed {offset.Offset.Value} of partition {p} passes unfinished offset {offsets[verified[p]]}");
                    }

                    verified[p]++;
                }
            }

            Volatile.Write(ref _last, last);
            Interlocked.Increment(ref _samples);
            _stop.Token.WaitHandle.WaitOne(20);
        }
    }
}
