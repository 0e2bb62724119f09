using Confluent.Kafka;
using KafkaPipeline.Diagnostics;
using KafkaPipeline.Health;
using KafkaPipeline.Native;
using KafkaPipeline.Options;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Consuming;

/// <summary>
/// The poll thread of one consumer, the only code that touches its <see cref="IConsumer{TKey,TValue}"/>. It polls,
/// dispatches each record to its lane (<see cref="LaneScheduler"/>), and carries out what lanes report: watermark
/// commits, pauses for back-pressure and stopped partitions, rebalances and shutdown. It never waits for a handler, a
/// store or a producer, except for the bounded wait for records in flight of partitions that are leaving.
/// </summary>
internal sealed partial class ConsumerEngine
{
    /// <summary>Poll timeout while records are in flight, so that reports turn into commits and resumes promptly.</summary>
    private static readonly TimeSpan BusyPollTimeout = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// While the buffer is full, how often the poll thread still polls (without waiting), so that rebalance callbacks
    /// are served and <c>max.poll.interval.ms</c> never passes. A record it gets is buffered (a small, bounded overshoot).
    /// </summary>
    private static readonly TimeSpan ThrottledPollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Records taken from the client in one batch before their lanes are started.</summary>
    private const int MaxBatch = 256;

    /// <summary>Longest hold of new work after a commit refused by a rebalance when no assignment follows.</summary>
    private static readonly TimeSpan MaxRebalanceHold = TimeSpan.FromSeconds(30);

    private readonly ConsumerDescriptor _consumer;
    private readonly KafkaPipelineOptions _options;
    private readonly IKafkaConsumerFactory _factory;
    private readonly TimeProvider _time;
    private readonly KafkaConsumerStatus _status;
    private readonly ILogger _logger;
    private readonly LaneScheduler _scheduler;
    private readonly int _readAhead;
    private readonly PartitionProgressTracker _progress;
    private readonly KafkaClientLog _clientLog;
    private readonly Dictionary<TopicPartition, PartitionWork> _partitions = new(PartitionComparer.Instance);
    private readonly Dictionary<TopicPartition, PartitionWork>.AlternateLookup<(string Topic, int Partition)> _byCoordinates;
    private readonly Dictionary<TopicPartition, long> _stopped = [];
    private readonly HashSet<TopicPartition> _pausedForPressure = [];
    private readonly List<TopicPartition> _toResume = [];
    private readonly List<Lane> _toStart = [];
    private IConsumer<byte[]?, byte[]?> _client = null!;
    private OffsetCommitter _committer = null!;
    private OffsetMetadataClient? _metadata;
    private KafkaException? _fatal;
    private DateTimeOffset? _heldSince;
    private long _lastPoll;
    private int _turns;

    public ConsumerEngine(
        ConsumerDescriptor consumer,
        KafkaPipelineOptions options,
        RecordExecution execution,
        IKafkaConsumerFactory factory,
        TimeProvider time,
        KafkaConsumerStatus status,
        ILogger logger)
    {
        _consumer = consumer;
        _options = options;
        _factory = factory;
        _time = time;
        _status = status;
        _logger = logger;
        _byCoordinates = _partitions.GetAlternateLookup<(string Topic, int Partition)>();
        _progress = new PartitionProgressTracker(status, options.Health, time, HighWatermark);
        _clientLog = new KafkaClientLog(logger, $"consumer of group '{consumer.GroupId}'", time);
        var runner = new LaneRunner(execution, time, consumer.GroupId, logger);
        _scheduler = new LaneScheduler(consumer.Ordering, consumer.MaxConcurrency, runner.Start);
        _readAhead = ReadAhead(consumer.MaxConcurrency, consumer.Options.MaxBufferedRecords);
        runner.Scheduler = _scheduler;
    }

    internal LaneScheduler Scheduler => _scheduler;

    /// <summary>Turns of the poll loop so far (tests observe that the loop runs without polling).</summary>
    internal int Turns => Volatile.Read(ref _turns);

    /// <summary>
    /// Creates the Kafka client; called at host start so that settings librdkafka refuses fail the start. Idempotent.
    /// </summary>
    public void Open()
    {
        if (_client is not null)
        {
            return;
        }

        var config = ConsumerClientFactory.CreateConfig(_options, _consumer, _logger);
        _client = _factory.Create(config, new ConsumerCallbacks(OnAssigned, OnRevoked, OnLost, OnError, _progress.OnStatistics, _clientLog.OnLog));
        _metadata = _consumer.Ordering != OrderingMode.Partition && _consumer.Options.CommitFinishedOffsets ? OffsetMetadataClient.TryCreate(_client) : null;
        _committer = new OffsetCommitter(_client, _consumer.Options.CommitMode, _time, _status, _logger, _metadata);
    }

    /// <summary>Releases a client that was opened but never run (another consumer failed to start).</summary>
    public void Abandon() => _client?.Dispose();

    public void Run(CancellationToken stopping)
    {
        Open();
        try
        {
            Log.ConsumerStarting(_logger, _consumer.GroupId, string.Join(", ", _consumer.Topics), _consumer.Ordering.ToString(), _consumer.MaxConcurrency);
            _client.Subscribe(_consumer.Topics);
            _status.State = KafkaConsumerState.Running;
            while (!stopping.IsCancellationRequested && _fatal is null)
            {
                Interlocked.Increment(ref _turns);
                CarryOut();
                if (Poll() is { } record)
                {
                    DispatchBatch(record);
                }
            }

            if (_fatal is not null)
            {
                throw _fatal;
            }
        }
        finally
        {
            Shutdown();
        }
    }

    /// <summary>Applies lane reports, resumes what may flow again, and hands moved watermarks to the consumer.</summary>
    private void CarryOut()
    {
        ApplyReports();
        _scheduler.ResumeDue(_time.GetTimestamp());
        if (_toResume.Count > 0)
        {
            // Not a partition paused for back-pressure since: its records may arrive in the poll that assigned it.
            _toResume.RemoveAll(_pausedForPressure.Contains);
            Resume(_toResume);
            _toResume.Clear();
        }

        if (_pausedForPressure.Count > 0)
        {
            ResumeDrained();
        }

        if (_heldSince is { } since && _time.GetUtcNow() - since >= MaxRebalanceHold)
        {
            ReleaseHold();
        }

        if (_committer.Flush(_partitions) && _heldSince is null)
        {
            // The group is rebalancing: start nothing new until it is served, so that little is handled twice.
            _heldSince = _time.GetUtcNow();
            _scheduler.Hold(true);
        }

        _status.SetLoad(_scheduler.Running, _scheduler.Buffered);
        _status.SetPaused(_pausedForPressure.Count);
        if (_progress.Refresh(_partitions))
        {
            _clientLog.Flush(); // summaries of repeated client errors, about once a second
        }
    }

    /// <summary>
    /// Polls, unless the consumer's buffer is full: then it waits (briefly) for lanes to finish records instead, and polls
    /// without waiting only every <see cref="ThrottledPollInterval"/>. Not polling keeps librdkafka's pre-fetched records
    /// where they are; pausing would purge them and the refetch after the resume leaves the lanes idle.
    /// </summary>
    private ConsumeResult<byte[]?, byte[]?>? Poll()
    {
        var timeout = _scheduler.Running > 0 || _pausedForPressure.Count > 0
            ? (_consumer.Options.PollTimeout < BusyPollTimeout ? _consumer.Options.PollTimeout : BusyPollTimeout)
            : _consumer.Options.PollTimeout;
        var now = _time.GetTimestamp();
        if (_scheduler.NextDue is { } due)
        {
            // A back-off ends on time, to the next whole millisecond: the client and the wait below count whole
            // milliseconds, so a wait of 0.3 ms would be a wait of 0 ms, and the loop would spin until the due time.
            var untilDue = WholeMilliseconds(_time.GetElapsedTime(now, Math.Max(due, now)));
            timeout = untilDue < timeout ? untilDue : timeout;
        }

        if (BufferFull())
        {
            if (_time.GetElapsedTime(_lastPoll, now) < ThrottledPollInterval)
            {
                // Take records again once a quarter of the buffer (or of the read-ahead) drained: one wake-up per that
                // many records, not per record; but wake for a lane whose back-off ends first.
                var records = _scheduler.Buffered >= _consumer.Options.MaxBufferedRecords ? _consumer.Options.MaxBufferedRecords * 3 / 4 : -1;
                var runnable = _scheduler.Runnable >= _readAhead && _scheduler.SlotsBusy ? _readAhead * 3 / 4 : -1;
                _scheduler.WaitForRoom(records, runnable, timeout < BusyPollTimeout ? timeout : BusyPollTimeout);
                return null;
            }

            timeout = TimeSpan.Zero;
        }

        _lastPoll = now;
        try
        {
            return _client.Consume(timeout);
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            Log.ConsumeError(_logger, _consumer.GroupId, ex.Error.Reason);
            return null;
        }
    }

    /// <summary>
    /// Dispatches the polled record and whatever more the client has ready at once (up to <see cref="MaxBatch"/>, not past
    /// the buffer bound), then starts the lanes that got a slot: a lane that drains faster than records arrive is then
    /// started once per batch instead of once per record.
    /// </summary>
    private void DispatchBatch(ConsumeResult<byte[]?, byte[]?> first)
    {
        _progress.OnBrokerAnswered();
        var record = first;
        for (var taken = 1; ; taken++)
        {
            if (!record.IsPartitionEOF)
            {
                Dispatch(record);
            }

            // Stop before taking a record that could not be dispatched in this batch: a taken record must be dispatched.
            if (taken == MaxBatch || BufferFull() || _fatal is not null
                || ConsumeNow() is not { } next)
            {
                break;
            }

            record = next;
        }

        StartLanes();
    }

    /// <summary>Starts the lanes given a slot by dispatches not started yet (before anything waits for records in flight).</summary>
    private void StartLanes()
    {
        if (_toStart.Count > 0)
        {
            _scheduler.Start(_toStart);
        }
    }

    private ConsumeResult<byte[]?, byte[]?>? ConsumeNow()
    {
        try
        {
            return _client.Consume(TimeSpan.Zero);
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            Log.ConsumeError(_logger, _consumer.GroupId, ex.Error.Reason);
            return null;
        }
    }

    private void Dispatch(ConsumeResult<byte[]?, byte[]?> record)
    {
        if (!_byCoordinates.TryGetValue((record.Topic, record.Partition.Value), out var work))
        {
            return; // not (or no longer) assigned: the owner delivers it
        }

        if (!work.Offsets.TryAccept(record.Offset.Value))
        {
            // Already dispatched (e.g. fetched again after a pause): running it twice could break its order.
            Log.RecordAlreadyDispatched(_logger, record.Topic, record.Partition.Value, record.Offset.Value, work.Offsets.LastDispatched);
            return;
        }

        if (work.Offsets.IsFinishedBefore(record.Offset.Value))
        {
            // Finished before the last commit (its metadata says so): done without running it again.
            work.Offsets.MarkDone(record.Offset.Value);
            return;
        }

        var (records, bytes) = _scheduler.Dispatch(work, record, _toStart);
        var (share, shareBytes) = Share();
        if ((records >= 2 * share || bytes >= 2 * shareBytes) && _pausedForPressure.Add(work.Partition))
        {
            Pause(work.Partition);
        }
    }

    private void ApplyReports()
    {
        var reports = _scheduler.TakeReports();
        if (reports.Count == 0)
        {
            return;
        }

        foreach (var report in reports)
        {
            switch (report.Kind)
            {
                case LaneReportKind.Done:
                    _status.CountCompleted();
                    report.Work.Offsets.MarkDone(report.Offset); // a partition that left meanwhile: nobody reads it any more
                    break;
                case LaneReportKind.Stopped:
                    OnStopped(report.Partition, report.Offset);
                    break;
            }
        }

        if (_stopped.Count > 0)
        {
            ClearResolvedStops();
        }
    }

    private void OnStopped(TopicPartition partition, long offset)
    {
        _stopped[partition] = offset;
        _status.SetStopped([.. _stopped.Keys]);
        Log.PartitionStopped(_logger, _consumer.GroupId, partition.Topic, partition.Partition.Value, offset);
        if (_consumer.Ordering == OrderingMode.Partition && _partitions.ContainsKey(partition) && _pausedForPressure.Add(partition))
        {
            Pause(partition); // nothing of it runs again: stop fetching it now
        }
    }

    /// <summary>A stop stays reported (across revokes) until this consumer's watermark of the partition passes it.</summary>
    private void ClearResolvedStops()
    {
        var resolved = _stopped.Where(s => _partitions.TryGetValue(s.Key, out var w) && w.Offsets.Position > s.Value).Select(s => s.Key).ToList();
        if (resolved.Count > 0)
        {
            foreach (var partition in resolved)
            {
                _stopped.Remove(partition);
            }

            _status.SetStopped([.. _stopped.Keys]);
        }
    }

    private bool IsStoppedHere(TopicPartition partition) =>
        _consumer.Ordering == OrderingMode.Partition && _stopped.TryGetValue(partition, out var at) && _partitions.TryGetValue(partition, out var w) && w.Offsets.Position <= at;

    private void Pause(TopicPartition partition)
    {
        try
        {
            _client.Pause([partition]);
        }
        catch (KafkaException ex)
        {
            Log.ConsumeError(_logger, _consumer.GroupId, $"pausing {partition}: {ex.Error.Reason}");
        }
    }

    private void Resume(List<TopicPartition> partitions)
    {
        var assigned = partitions.Where(_partitions.ContainsKey).ToList();
        if (assigned.Count == 0)
        {
            return;
        }

        try
        {
            _client.Resume(assigned);
        }
        catch (KafkaException ex)
        {
            Log.ConsumeError(_logger, _consumer.GroupId, $"resuming {string.Join(", ", assigned)}: {ex.Error.Reason}");
        }
    }

    private void ReleaseHold()
    {
        _heldSince = null;
        _scheduler.Hold(false);
    }

    /// <summary>The client's cached high watermark of an assigned partition (no broker call); -1 when unknown.</summary>
    private long HighWatermark(TopicPartition partition)
    {
        try
        {
            return _client.GetWatermarkOffsets(partition)?.High.Value ?? -1;
        }
        catch (KafkaException)
        {
            return -1;
        }
    }

    private void OnError(Error error)
    {
        _progress.OnError(error);
        if (!error.IsFatal)
        {
            _clientLog.OnError(error);
            return;
        }

        Log.ClientError(_logger, _consumer.GroupId, error.Reason, error.Code.ToString(), error.IsFatal);
        _fatal = new KafkaException(error);
    }
}
