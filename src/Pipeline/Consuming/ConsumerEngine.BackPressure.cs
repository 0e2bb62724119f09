using Confluent.Kafka;

namespace KafkaPipeline.Consuming;

/// <summary>Back-pressure: how much the poll thread reads ahead of the lanes, and the pause of a partition holding too much.</summary>
internal sealed partial class ConsumerEngine
{
    /// <summary>
    /// No more records now: the buffer bounds are reached, or <see cref="_readAhead"/> records already wait to run. Records
    /// that lanes cannot start soon would only age in memory (and be promoted by the garbage collector); librdkafka keeps
    /// fetched records in its own memory until polled. Records behind a back-off or a stopped lane do not count, so a
    /// parked key does not hold back the others; and the read-ahead only holds while every slot is busy or a lane waits
    /// for one, since records of one partition (librdkafka returns them in per-partition runs) cannot feed idle slots in
    /// Partition mode.
    /// </summary>
    private bool BufferFull() =>
        _scheduler.Buffered >= _consumer.Options.MaxBufferedRecords
        || _scheduler.BufferedBytes >= _consumer.Options.MaxBufferedBytes
        || (_scheduler.Runnable >= _readAhead && _scheduler.SlotsBusy);

    /// <summary>
    /// How many runnable records the poll thread takes ahead of the lanes: 32 per slot, at least 1,000 (a poll-thread
    /// wake-up per ~250 records), at most the buffer bound.
    /// </summary>
    internal static int ReadAhead(int maxConcurrency, int maxBufferedRecords) =>
        Math.Min(maxBufferedRecords, Math.Max(1_000, maxConcurrency * 32));

    private static TimeSpan WholeMilliseconds(TimeSpan time) =>
        TimeSpan.FromMilliseconds(Math.Ceiling(time.TotalMilliseconds));

    /// <summary>
    /// Each assigned partition's share of the buffer bounds. A partition holding twice its share is not draining like the
    /// others (a record waits for a long back-off, a lane stopped, a hot key is parked): it is paused so that it cannot
    /// take the whole buffer, and resumed once it is back to its share. So the buffer never holds more than twice the bounds.
    /// </summary>
    private (int Records, long Bytes) Share()
    {
        var partitions = Math.Max(1, _partitions.Count);
        return (Math.Max(1, _consumer.Options.MaxBufferedRecords / partitions), Math.Max(1, _consumer.Options.MaxBufferedBytes / partitions));
    }

    private void ResumeDrained()
    {
        var (share, shareBytes) = Share();
        List<TopicPartition>? drained = null;
        foreach (var partition in _pausedForPressure)
        {
            var (records, bytes) = _scheduler.BufferedOf(partition);
            if (records <= share && bytes <= shareBytes && !IsStoppedHere(partition))
            {
                (drained ??= []).Add(partition);
            }
        }

        if (drained is not null)
        {
            _pausedForPressure.ExceptWith(drained);
            Resume(drained);
        }
    }
}
