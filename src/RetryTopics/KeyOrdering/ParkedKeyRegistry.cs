using System.Collections.Concurrent;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.RetryTopics.Routing;
using KafkaPipeline.RetryTopics.Diagnostics;
using KafkaPipeline.RetryTopics.Topology;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.RetryTopics.KeyOrdering;

/// <summary>
/// The parked keys of every key-ordered chain, by (main topic, partition number). A partition's state is rebuilt from the
/// retry topics whenever it is assigned anew (no database, no state topic): the uncommitted records of partition p of every
/// retry topic are exactly the records still in the chain. The lanes of the partition wait for the rebuild (off the poll
/// thread); nothing of the partition changes the state before it completes.
/// </summary>
internal sealed class ParkedKeyRegistry(IParkedKeySource source, TimeProvider time, ILogger logger)
{
    private long _rebuiltRecords;

    private readonly ConcurrentDictionary<(string MainTopic, int Partition), PartitionParking> _partitions = new();
    private readonly Lock _gate = new();

    /// <summary>
    /// The state of the record's partition number, rebuilt first when its partition was assigned anew (see
    /// <see cref="PartitionParking.Serves"/> for how that is told).
    /// </summary>
    public async ValueTask<PartitionParking> GetAsync(RetryChain chain, ConsumeContext context, object? generation = null)
    {
        var id = (chain.Topology.MainTopic, context.Partition);
        PartitionParking parking;
        lock (_gate)
        {
            if (!_partitions.TryGetValue(id, out parking!) || !parking.Serves(context.Topic, context.CancellationToken, generation))
            {
                var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                parking = new PartitionParking(ready.Task, generation);
                parking.Serves(context.Topic, context.CancellationToken, generation);
                _partitions[id] = parking;
                _ = RebuildAsync(chain, context.GroupId, context.Partition, parking, ready);
            }
        }

        await parking.Ready.WaitAsync(context.CancellationToken).ConfigureAwait(false);
        return parking;
    }

    /// <summary>Records found in retry topics by the rebuilds so far.</summary>
    public long RebuiltRecords => Interlocked.Read(ref _rebuiltRecords);

    /// <summary>Parked keys of a partition (tests and diagnostics); null when the partition was never seen.</summary>
    public PartitionParking? Find(string mainTopic, int partition) => _partitions.GetValueOrDefault((mainTopic, partition));

    /// <summary>The record enters the chain (its first forward to a retry topic).</summary>
    public void Entering(RetryChain chain, ConsumeContext context, DestinationTopic destination)
    {
        if (destination.IsRetry && Find(chain.Topology.MainTopic, context.Partition) is { } parking)
        {
            parking.Enter(new ParkedKey(context.Key), OriginalOffset(chain, context));
        }
    }

    /// <summary>The record left the chain: handled, dead-lettered or dropped.</summary>
    public void Finished(RetryChain chain, ConsumeContext context)
    {
        if (Find(chain.Topology.MainTopic, context.Partition) is { } parking)
        {
            parking.Leave(new ParkedKey(context.Key), OriginalOffset(chain, context));
        }
    }

    /// <summary>The main-topic offset of a chain record: its own on the main topic, else its <c>kafka_dlt-original-offset</c>.</summary>
    public static long OriginalOffset(RetryChain chain, ConsumeContext context) =>
        string.Equals(context.Topic, chain.Topology.MainTopic, StringComparison.Ordinal)
            ? context.Offset
            : OriginalOffset(context.Record.Message.Headers) ?? context.Offset;

    public static long? OriginalOffset(Confluent.Kafka.Headers? headers) =>
        headers is not null && headers.TryGetLastBytes(DeadLetterHeaders.OriginalOffset, out var bytes) ? DeadLetterHeaders.DecodeInt64(bytes) : null;

    private async Task RebuildAsync(RetryChain chain, string groupId, int partition, PartitionParking parking, TaskCompletionSource ready)
    {
        try
        {
            var started = time.GetTimestamp();
            var found = await Task.Run(() => source.Read(chain, groupId, partition)).ConfigureAwait(false);
            parking.Load(found.Live, found.Superseded);
            Interlocked.Add(ref _rebuiltRecords, found.Live.Count);
            Log.ParkedKeysRebuilt(logger, chain.Topology.MainTopic, partition, parking.KeyCount, found.Live.Count, time.GetElapsedTime(started));
            ready.SetResult();
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _partitions.TryRemove(new KeyValuePair<(string, int), PartitionParking>((chain.Topology.MainTopic, partition), parking));
            }

            ready.SetException(ex); // the waiting records fail and are retried; the next one starts a new rebuild
        }
    }
}

/// <summary>Reads what is still in a chain's retry topics for one partition number.</summary>
internal interface IParkedKeySource
{
    ParkedRecords Read(RetryChain chain, string groupId, int partition);
}

/// <summary>The chain's live records (key, main offset) and the older copies of records forwarded again before a restart.</summary>
internal sealed record ParkedRecords(List<(ParkedKey Key, long OriginalOffset)> Live, List<(string Topic, long Offset)> Superseded);
