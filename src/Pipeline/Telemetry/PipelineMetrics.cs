using System.Diagnostics;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using KafkaPipeline.Health;

namespace KafkaPipeline.Telemetry;

/// <summary>
/// KafkaPipeline's instruments on the meter <see cref="KafkaPipelineTelemetry.MeterName"/> (created through the host's
/// <see cref="IMeterFactory"/> when there is one). Counters and the duration histogram are recorded by the lanes only
/// while enabled (someone listens); gauges are read from <see cref="KafkaConsumerMonitor"/> when collected.
/// </summary>
internal sealed class PipelineMetrics : IDisposable
{
    public const string Handled = "kafka_pipeline.records.handled";
    public const string Duplicates = "kafka_pipeline.records.duplicates";
    public const string Retried = "kafka_pipeline.records.retried";
    public const string Failed = "kafka_pipeline.records.failed";
    public const string DeadLettered = "kafka_pipeline.records.dead_lettered";
    public const string Duration = "messaging.process.duration";
    public const string InFlight = "kafka_pipeline.records.in_flight";
    public const string Buffered = "kafka_pipeline.records.buffered";
    public const string Paused = "kafka_pipeline.partitions.paused";
    public const string Stopped = "kafka_pipeline.partitions.stopped";
    public const string Stalled = "kafka_pipeline.partitions.stalled";
    public const string Lag = "kafka_pipeline.consumer.lag";

    private static readonly double[] DurationBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly KafkaConsumerMonitor _monitor;
    private readonly Counter<long> _handled;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _retried;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _deadLettered;
    private readonly Histogram<double> _duration;

    public PipelineMetrics(KafkaConsumerMonitor monitor, IMeterFactory? factory = null)
    {
        _monitor = monitor;
        var version = typeof(PipelineMetrics).Assembly.GetName().Version?.ToString();
        _ownsMeter = factory is null;
        _meter = factory?.Create(new MeterOptions(KafkaPipelineTelemetry.MeterName) { Version = version })
            ?? new Meter(KafkaPipelineTelemetry.MeterName, version);
        _handled = _meter.CreateCounter<long>(Handled, "{record}", "Records the handler completed (duplicates not included).");
        _duplicates = _meter.CreateCounter<long>(Duplicates, "{record}", "Records skipped as duplicates; their offsets are committed.");
        _retried = _meter.CreateCounter<long>(Retried, "{delivery}", "Failed deliveries that will be delivered again after a back-off.");
        _failed = _meter.CreateCounter<long>(Failed, "{record}", "Records that failed for good: recovered (e.g. dead-lettered) or stopped.");
        _deadLettered = _meter.CreateCounter<long>(DeadLettered, "{record}", "Records published to a dead-letter topic (acknowledged by acks=all).");
        _duration = _meter.CreateHistogram(Duration, "s", "Duration of one delivery of a record: pipeline, error handler and recoverer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _meter.CreateObservableUpDownCounter(InFlight, () => PerGroup(s => s.RecordsInFlight), "{record}", "Records running now.");
        _meter.CreateObservableUpDownCounter(Buffered, () => PerGroup(s => s.RecordsBuffered), "{record}", "Records fetched and not finished.");
        _meter.CreateObservableUpDownCounter(Paused, () => PerGroup(s => s.PausedPartitionCount), "{partition}", "Partitions paused by the consumer (back-pressure or a stopped lane).");
        _meter.CreateObservableUpDownCounter(Stopped, () => PerGroup(s => s.StoppedPartitions.Count), "{partition}", "Partitions with a record that could not be recovered.");
        _meter.CreateObservableUpDownCounter(Stalled, () => PerGroup(s => s.Partitions.Count(p => p.Stalled)), "{partition}", "Partitions with lag whose commit position has not moved for Health:StallTimeout.");
        _meter.CreateObservableGauge(Lag, ObserveLag, "{message}", "Records between a partition's commit position and its high watermark.");
    }

    /// <summary>Whether a delivery's outcome is wanted at all (checked before anything is measured).</summary>
    public bool Enabled => _handled.Enabled || _duration.Enabled || _retried.Enabled || _failed.Enabled || _duplicates.Enabled || _deadLettered.Enabled;

    public bool DurationEnabled => _duration.Enabled;

    /// <summary>Records one delivery's outcome (call only when <see cref="Enabled"/>).</summary>
    public void RecordDelivery(string topic, string groupId, DeliveryOutcome outcome, string? deadLetterTopic, long startTimestamp)
    {
        var tags = new TagList
        {
            { MessagingAttributes.System, MessagingAttributes.Kafka },
            { MessagingAttributes.DestinationName, topic },
            { MessagingAttributes.ConsumerGroup, groupId },
        };
        switch (outcome)
        {
            case DeliveryOutcome.Completed:
                _handled.Add(1, tags);
                break;
            case DeliveryOutcome.Duplicate:
                _duplicates.Add(1, tags);
                break;
            case DeliveryOutcome.Retry:
                _retried.Add(1, tags);
                break;
            case DeliveryOutcome.Recovered or DeliveryOutcome.Stopped:
                var failed = tags;
                failed.Add(MessagingAttributes.Outcome, outcome == DeliveryOutcome.Recovered ? "recovered" : "stopped");
                _failed.Add(1, failed);
                if (deadLetterTopic is not null)
                {
                    var dead = tags;
                    dead.Add(MessagingAttributes.DeadLetterTopic, deadLetterTopic);
                    _deadLettered.Add(1, dead);
                }

                break;
        }

        if (startTimestamp != 0 && _duration.Enabled)
        {
            tags.Add(MessagingAttributes.OperationName, "process");
            tags.Add(MessagingAttributes.Outcome, DeliveryOutcomes.Name(outcome));
            _duration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
        }
    }

    private IEnumerable<Measurement<int>> PerGroup(Func<KafkaConsumerStatus, int> value)
    {
        foreach (var status in _monitor.Consumers)
        {
            yield return new Measurement<int>(value(status), GroupTags(status.GroupId));
        }
    }

    private IEnumerable<Measurement<long>> ObserveLag()
    {
        foreach (var status in _monitor.Consumers)
        {
            foreach (var partition in status.Partitions)
            {
                if (partition.Lag >= 0)
                {
                    yield return new Measurement<long>(partition.Lag, PartitionTags(status.GroupId, partition.Partition));
                }
            }
        }
    }

    private static TagList GroupTags(string groupId) => new()
    {
        { MessagingAttributes.System, MessagingAttributes.Kafka },
        { MessagingAttributes.ConsumerGroup, groupId },
    };

    private static TagList PartitionTags(string groupId, TopicPartition partition) => new()
    {
        { MessagingAttributes.System, MessagingAttributes.Kafka },
        { MessagingAttributes.ConsumerGroup, groupId },
        { MessagingAttributes.DestinationName, partition.Topic },
        { MessagingAttributes.PartitionId, partition.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
