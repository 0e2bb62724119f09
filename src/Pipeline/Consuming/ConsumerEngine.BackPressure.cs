using Confluent.Kafka;

namespace KafkaPipeline.Consuming;

/// <summary>Back-pressure: how much the poll thread reads ahead of the lanes, and the pause of a partition holding too much.</summary>
internal sealed partial class ConsumerEngine
{
    /// <summary>Work the lanes hold ahead at their recent pace above which fast lanes need no further read-ahead.</summary>
    private static readonly TimeSpan WorkAhead = TimeSpan.FromMilliseconds(20);

    /// <summary>Of the runnable records, those <see cref="HoldsWorkAhead"/> found queued behind slow heads (poll thread only).</summary>
    private int _stuckBehind;

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
        || HoldsWorkAhead(_scheduler.SlotsBusy);

    /// <summary>
    /// At least <see cref="_readAhead"/> records can run, and reading further would not put idle slots to work: every slot
    /// is busy, or the lanes will have finished what waits within <see cref="WorkAhead"/> at their recent pace anyway. Only
    /// slow lanes with idle slots (I/O-bound handlers in Partition mode) make the poll thread read on, up to the buffer
    /// bounds, to find records of other partitions behind the runs librdkafka hands out per partition. Fast lanes keep few
    /// records in memory, so few live long enough to be promoted by the garbage collector.
    /// </summary>
    private bool HoldsWorkAhead(bool slotsBusy)
    {
        _stuckBehind = 0;
        var runnable = _scheduler.Runnable;
        if (runnable < _readAhead || slotsBusy)
        {
            return runnable >= _readAhead;
        }

        if (!_completed.DrainsWithin(runnable, WorkAhead))
        {
            return false;
        }

        // Records queued behind a head that runs for long (a recovery waiting for a broker) do not drain at that pace.
        var since = _time.GetTimestamp() - (long)(WorkAhead.TotalSeconds * _time.TimestampFrequency);
        _stuckBehind = _scheduler.QueuedBehindSlowHeads(since);
        return runnable - _stuckBehind >= _readAhead;
    }

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
