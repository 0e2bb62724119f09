using Confluent.Kafka;
using KafkaPipeline.Options;

namespace KafkaPipeline.Consuming;

/// <summary>
/// Puts fetched records into lanes and lanes into slots. A lane runs one record at a time; at most
/// <c>MaxConcurrency</c> lanes run at once, the rest wait in a ready queue (first come, first served; a running lane
/// yields its slot after each record when others wait). The poll thread dispatches, revokes and collects reports; lane
/// runners finish, wait, stop. Everything here happens under one lock and never calls user code or the consumer.
/// </summary>
internal sealed class LaneScheduler(OrderingMode ordering, int maxConcurrency, Action<Lane> start)
{
    private static readonly List<LaneReport> NoReports = [];
    private readonly Lock _gate = new();
    private readonly Dictionary<TopicPartition, PartitionWork> _partitions = new(PartitionComparer.Instance);
    private readonly Queue<Lane> _ready = new();
    private readonly PriorityQueue<Lane, long> _waiting = new();
    private long _nextDue = long.MaxValue;
    private int _reportCount;
    private readonly ManualResetEventSlim _changed = new(false);
    private readonly ManualResetEventSlim _room = new(false);
    private List<LaneReport> _reports = [];
    private List<LaneReport> _spare = [];
    private int _running;
    private int _buffered;
    private int _heldBack;
    private long _bufferedBytes;
    private bool _held;
    private int _roomBelow = -1;
    private int _runnableBelow = -1;
    private bool _wakeOnIdleSlot;
    private int _readyCount;

    public OrderingMode Ordering => ordering;

    /// <summary>Records running now, all partitions.</summary>
    public int Running => Volatile.Read(ref _running);

    /// <summary>Records dispatched and not finished, all partitions.</summary>
    public int Buffered => Volatile.Read(ref _buffered);

    /// <summary>
    /// Of <see cref="Buffered"/>, the records that can run now or as soon as a slot or their lane is free: not those
    /// behind a back-off or in a stopped lane.
    /// </summary>
    public int Runnable => Volatile.Read(ref _buffered) - Volatile.Read(ref _heldBack);

    /// <summary>
    /// Every slot is taken, or a lane waits for one: records polled now would only wait. False while a slot idles for
    /// lack of a runnable lane (e.g. in Partition mode, the records read ahead all belong to a few partitions).
    /// </summary>
    public bool SlotsBusy => Volatile.Read(ref _running) >= maxConcurrency || Volatile.Read(ref _readyCount) > 0;

    /// <summary>Key and value bytes of those records.</summary>
    public long BufferedBytes => Volatile.Read(ref _bufferedBytes);

    /// <summary>Starts tracking a newly assigned partition.</summary>
    public PartitionWork Assign(TopicPartition partition)
    {
        lock (_gate)
        {
            return _partitions[partition] = new PartitionWork(partition);
        }
    }

    /// <summary>
    /// Queues a record of <paramref name="work"/>'s partition on its lane; returns what the partition now buffers. A lane
    /// that gets a slot is added to <paramref name="toStart"/>: the caller starts it after queuing the rest of its batch, so
    /// a lane is started once for several records rather than once per record.
    /// </summary>
    public (int Records, long Bytes) Dispatch(PartitionWork work, ConsumeResult<byte[]?, byte[]?> record, List<Lane> toStart)
    {
        (int, long) buffered;
        lock (_gate)
        {
            var lane = LaneFor(work, record);
            lane.Enqueue(record);
            var size = Size(record);
            work.Buffered++;
            work.BufferedBytes += size;
            _buffered++;
            _bufferedBytes += size;
            if (lane.State is LaneState.Waiting or LaneState.Stopped)
            {
                HoldBackLocked(work, 1);
            }
            else if (lane.State == LaneState.Idle)
            {
                if (!_held && _running < maxConcurrency)
                {
                    Run(lane);
                    _running++;
                    toStart.Add(lane);
                }
                else
                {
                    lane.State = LaneState.Ready;
                    _ready.Enqueue(lane);
                    Volatile.Write(ref _readyCount, _ready.Count);
                }
            }

            buffered = (work.Buffered, work.BufferedBytes);
        }

        return buffered;
    }

    /// <summary>Starts the lanes a batch of dispatches gave a slot (see <see cref="Dispatch"/>).</summary>
    public void Start(List<Lane> lanes)
    {
        foreach (var lane in lanes)
        {
            start(lane);
        }

        lanes.Clear();
    }

    /// <summary>The lane's head record is done: report it; returns the lane this runner goes on with, or null (slot freed).</summary>
    public Lane? Finish(Lane lane) => Settle(lane, LaneReportKind.Done);

    /// <summary>The lane's head record was abandoned (its partition is leaving): report it and free the lane.</summary>
    public Lane? Abandon(Lane lane) => Settle(lane, LaneReportKind.Abandoned);

    /// <summary>The lane's head record could not be recovered: the lane stops where it is.</summary>
    public Lane? Stop(Lane lane)
    {
        lock (_gate)
        {
            lane.State = LaneState.Stopped;
            lane.Partition.Running--;
            HoldBackLocked(lane.Partition, lane.Count);
            AddReport(new LaneReport(lane.Partition, lane.Head!.Offset.Value, LaneReportKind.Stopped));
            return HandOffLocked();
        }
    }

    /// <summary>
    /// The lane's head waits for a back-off until <paramref name="due"/> (a <see cref="TimeProvider"/> timestamp): the lane
    /// gives up its slot, which goes to a ready lane if any, and waits in memory until <see cref="ResumeDue"/> finds it due.
    /// </summary>
    public Lane? Wait(Lane lane, long due)
    {
        lock (_gate)
        {
            lane.State = LaneState.Waiting;
            lane.Partition.Running--;
            HoldBackLocked(lane.Partition, lane.Count);
            _waiting.Enqueue(lane, due);
            _waiting.TryPeek(out _, out var first);
            Volatile.Write(ref _nextDue, first);
            return HandOffLocked();
        }
    }

    /// <summary>The due time of the earliest waiting lane, or null (read without the lock: a hint for the poll timeout).</summary>
    public long? NextDue => Volatile.Read(ref _nextDue) is var due && due != long.MaxValue ? due : null;

    /// <summary>
    /// Called by the poll thread: every lane whose back-off is over gets a slot (it runs on the thread pool) or is queued
    /// for the next free one; lanes of partitions that left are dropped. One pass serves all lanes due by then.
    /// </summary>
    public void ResumeDue(long now)
    {
        if (now < Volatile.Read(ref _nextDue))
        {
            return; // the common case: nothing waits, or nothing is due yet
        }

        List<Lane>? toStart = null;
        lock (_gate)
        {
            while (_waiting.TryPeek(out var lane, out var due) && due <= now)
            {
                _waiting.Dequeue();
                if (lane.Partition.Revoked)
                {
                    lane.State = LaneState.Idle;
                    continue;
                }

                HoldBackLocked(lane.Partition, -lane.Count);
                if (!_held && _running < maxConcurrency)
                {
                    _running++;
                    Run(lane);
                    (toStart ??= []).Add(lane);
                }
                else
                {
                    lane.State = LaneState.Ready;
                    _ready.Enqueue(lane);
                    Volatile.Write(ref _readyCount, _ready.Count);
                }
            }

            Volatile.Write(ref _nextDue, _waiting.TryPeek(out _, out var next) ? next : long.MaxValue);
        }

        toStart?.ForEach(start);
    }

    /// <summary>True when the lane may go on with a retry at once (zero back-off); false drops it (revoked).</summary>
    public bool RetryNow(Lane lane)
    {
        lock (_gate)
        {
            if (!lane.Partition.Revoked)
            {
                return true;
            }

            lane.State = LaneState.Idle;
            lane.Partition.Running--;
            _running--;
            SlotFreedLocked();
            Signal();
            StartReadyLocked(out var next);
            if (next is not null)
            {
                start(next);
            }

            return false;
        }
    }

    /// <summary>Stops (or allows again) starting records, e.g. while a refused commit waits for the rebalance.</summary>
    public void Hold(bool held)
    {
        List<Lane>? toStart = null;
        lock (_gate)
        {
            _held = held;
            while (!held && _running < maxConcurrency && DequeueReadyLocked() is { } lane)
            {
                _running++;
                Run(lane);
                (toStart ??= []).Add(lane);
            }
        }

        toStart?.ForEach(start);
    }

    /// <summary>
    /// The partitions leave: nothing of them starts again, their queued records are dropped and their back-off waits end.
    /// Records in flight run on until they finish or are abandoned.
    /// </summary>
    public void Revoke(IEnumerable<TopicPartition> partitions)
    {
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                if (_partitions.TryGetValue(partition, out var work) && !work.Revoked)
                {
                    _buffered -= work.Buffered;
                    _bufferedBytes -= work.BufferedBytes;
                    _heldBack -= work.HeldBack;
                    work.Buffered = 0;
                    work.BufferedBytes = 0;
                    work.HeldBack = 0;
                    work.Revoke();
                }
            }
        }
    }

    /// <summary>Cancels the records in flight of the partitions (all when null).</summary>
    public void AbandonInFlight(IReadOnlyCollection<TopicPartition>? partitions)
    {
        lock (_gate)
        {
            foreach (var work in _partitions.Values)
            {
                if (partitions is null || partitions.Contains(work.Partition))
                {
                    work.Abandon();
                }
            }
        }
    }

    /// <summary>Forgets revoked partitions.</summary>
    public void Remove(IEnumerable<TopicPartition> partitions)
    {
        lock (_gate)
        {
            foreach (var partition in partitions)
            {
                _partitions.Remove(partition);
            }
        }
    }

    /// <summary>Records in flight of the partitions (all when null).</summary>
    public int InFlight(IReadOnlyCollection<TopicPartition>? partitions)
    {
        lock (_gate)
        {
            var running = 0;
            foreach (var work in _partitions.Values)
            {
                if (partitions is null || partitions.Contains(work.Partition))
                {
                    running += work.Running;
                }
            }

            return running;
        }
    }

    /// <summary>Waits until a record stops running or <paramref name="timeout"/> passes; callers re-check their condition.</summary>
    public void WaitForChange(TimeSpan timeout)
    {
        _changed.Wait(timeout);
        _changed.Reset();
    }

    /// <summary>
    /// Waits until at most <paramref name="records"/> are buffered or at most <paramref name="runnable"/> of them are
    /// <see cref="Runnable"/> (when not -1: or a slot is freed with no lane ready for it), or <paramref name="timeout"/> passes. Lanes wake the poll thread once, when the buffer has
    /// drained that far, not at every finished record.
    /// </summary>
    public void WaitForRoom(int records, int runnable, TimeSpan timeout)
    {
        lock (_gate)
        {
            if (_buffered <= records || _buffered - _heldBack <= runnable)
            {
                return;
            }

            _room.Reset();
            _roomBelow = records;
            _runnableBelow = runnable;
            _wakeOnIdleSlot = runnable >= 0;
        }

        _room.Wait(timeout);
        lock (_gate)
        {
            _roomBelow = -1;
            _runnableBelow = -1;
            _wakeOnIdleSlot = false;
        }
    }

    /// <summary>True once <see cref="Revoke"/> marked the partition as leaving.</summary>
    public bool IsRevoked(TopicPartition partition)
    {
        lock (_gate)
        {
            return _partitions.TryGetValue(partition, out var work) && work.Revoked;
        }
    }

    /// <summary>What a partition buffers now.</summary>
    public (int Records, long Bytes) BufferedOf(TopicPartition partition)
    {
        lock (_gate)
        {
            return _partitions.TryGetValue(partition, out var work) ? (work.Buffered, work.BufferedBytes) : (0, 0);
        }
    }

    /// <summary>Hands the reports collected since the last call to the poll thread.</summary>
    public List<LaneReport> TakeReports()
    {
        if (Volatile.Read(ref _reportCount) == 0)
        {
            return NoReports;
        }

        lock (_gate)
        {
            if (_reports.Count == 0)
            {
                return NoReports;
            }

            // The list returned last time was processed by now: it collects the next reports.
            (_reports, _spare) = (_spare, _reports);
            Volatile.Write(ref _reportCount, 0);
            _reports.Clear();
            return _spare;
        }
    }

    private Lane? Settle(Lane lane, LaneReportKind kind)
    {
        lock (_gate)
        {
            var work = lane.Partition;
            var record = lane.Dequeue();
            work.Running--;
            if (!work.Revoked)
            {
                var size = Size(record);
                work.Buffered--;
                work.BufferedBytes -= size;
                _buffered--;
                _bufferedBytes -= size;
                if (_buffered <= _roomBelow || _buffered - _heldBack <= _runnableBelow)
                {
                    _roomBelow = -1;
                    _runnableBelow = -1;
                    _room.Set();
                }
            }

            AddReport(new LaneReport(work, record.Offset.Value, kind));
            if (work.Revoked)
            {
                lane.State = LaneState.Idle;
                Signal();
                return HandOffLocked();
            }

            if (_ready.Count > 0 || _held)
            {
                Park(lane);
                return HandOffLocked();
            }

            if (lane.Head is not null)
            {
                work.Running++;
                return lane;
            }

            Park(lane);
            return HandOffLocked();
        }
    }

    /// <summary>A lane that gave up its slot: queued when it has records, otherwise idle (and forgotten in Key mode).</summary>
    private void Park(Lane lane)
    {
        if (lane.Head is not null)
        {
            lane.State = LaneState.Ready;
            _ready.Enqueue(lane);
            Volatile.Write(ref _readyCount, _ready.Count);
            return;
        }

        lane.State = LaneState.Idle;
        if (lane.Partition.Keyed is { } keyed)
        {
            keyed.Remove(lane.Key);
        }
    }

    /// <summary>The caller's slot goes to the next ready lane, or is freed.</summary>
    private Lane? HandOffLocked()
    {
        if (!_held && DequeueReadyLocked() is { } next)
        {
            Run(next);
            return next;
        }

        _running--;
        SlotFreedLocked();
        Signal();
        return null;
    }

    private void StartReadyLocked(out Lane? next)
    {
        next = null;
        if (!_held && _running < maxConcurrency && DequeueReadyLocked() is { } lane)
        {
            _running++;
            Run(lane);
            next = lane;
        }
    }

    private Lane? DequeueReadyLocked()
    {
        while (_ready.TryDequeue(out var lane))
        {
            Volatile.Write(ref _readyCount, _ready.Count);
            if (!lane.Partition.Revoked)
            {
                return lane;
            }

            lane.State = LaneState.Idle;
        }

        return null;
    }

    /// <summary>A slot was freed with no lane ready for it: a poll thread waiting because slots were busy polls again.</summary>
    private void SlotFreedLocked()
    {
        if (_wakeOnIdleSlot && _ready.Count == 0)
        {
            _wakeOnIdleSlot = false;
            _room.Set();
        }
    }

    private static void Run(Lane lane)
    {
        lane.State = LaneState.Running;
        lane.Partition.Running++;
    }

    private Lane LaneFor(PartitionWork work, ConsumeResult<byte[]?, byte[]?> record)
    {
        switch (ordering)
        {
            case OrderingMode.Partition:
                return work.Single ??= new Lane(work, default);
            case OrderingMode.Key:
                var keyed = work.Keyed ??= [];
                var key = new LaneKey(record.Message.Key);
                if (!keyed.TryGetValue(key, out var lane))
                {
                    keyed[key] = lane = new Lane(work, key);
                }

                return lane;
            default:
                return new Lane(work, default);
        }
    }

    private void HoldBackLocked(PartitionWork work, int records)
    {
        work.HeldBack += records;
        _heldBack += records;
    }

    private void Signal() => _changed.Set();

    private void AddReport(LaneReport report)
    {
        _reports.Add(report);
        Volatile.Write(ref _reportCount, _reports.Count);
    }

    internal static long Size(ConsumeResult<byte[]?, byte[]?> record) =>
        (record.Message.Key?.Length ?? 0) + (record.Message.Value?.Length ?? 0);
}
