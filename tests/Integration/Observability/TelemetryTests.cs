using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.IntegrationTests.ErrorHandling;
using KafkaPipeline.Telemetry;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.IntegrationTests.Observability;

/// <summary>Spans, metrics and logs of a consumer on the embedded cluster, seen through ActivityListener and MeterListener.</summary>
public sealed class TelemetryTests(ThreeBrokerCluster fixture) : IClassFixture<ThreeBrokerCluster>
{
    [Fact]
    public async Task ProcessSpans_ContinueProducerTraceparent_RetryEventAndDeadLetterPublishSpanWhoseContextIsInTheDeadLetter()
    {
        var (topic, group) = ErrorHandlingHost.Names(fixture, partitions: 1, prefix: "traced");
        fixture.Cluster.CreateTopic(topic + "-dlt", 1);
        var producer = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var traceparent = $"00-{producer.TraceId}-{producer.SpanId}-01";
        await KafkaIo.ProduceAsync(fixture.Bootstrap, topic,
        [
            (0, "k0", "{\"id\":0,\"seq\":0}", new Headers { { "traceparent", Encoding.ASCII.GetBytes(traceparent) }, { "message-id", Encoding.UTF8.GetBytes("m-0") } }),
            (0, "k1", "{\"id\":1,\"seq\":1}", null),
            (0, "poison", "{\"id\":2,\"seq\":2}", new Headers { { "traceparent", Encoding.ASCII.GetBytes(traceparent) } }),
        ]);
        var spans = new ConcurrentQueue<Activity>();

        // The listener is process-wide: spans of other test classes running in parallel are not sampled, or their dead
        // letters would carry a traceparent header their assertions do not expect.
        bool Ours(string name) => name.EndsWith(topic, StringComparison.Ordinal) || name.EndsWith(topic + "-dlt", StringComparison.Ordinal);
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == KafkaPipelineTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) => Ours(options.Name) ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = a =>
            {
                if (Ours(a.DisplayName))
                {
                    spans.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var recorder = new Recorder
        {
            Behavior = c => c.Offset == 2 || (c.Offset == 1 && c.DeliveryAttempt == 1)
                ? throw new InvalidOperationException($"order {c.Offset} rejected")
                : ValueTask.CompletedTask,
        };

        await using (var host = await ErrorHandlingHost.StartAsync(fixture, recorder, topic, group, eh => eh.BackOff(new FixedBackOff(TimeSpan.FromMilliseconds(50), 1))))
        {
            await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 1)[0] == 3, "all three done");
        }

        var deliveries = spans.Where(s => s.OperationName == "process " + topic).OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal([(0L, 1), (1L, 1), (1L, 2), (2L, 1), (2L, 2)], deliveries.Select(s => ((long)s.GetTagItem("messaging.kafka.offset")!, (int)s.GetTagItem("kafka_pipeline.delivery_attempt")!)));

        var first = deliveries[0];
        Assert.Equal(ActivityKind.Consumer, first.Kind);
        Assert.Equal(producer.TraceId, first.TraceId);          // the producer's span is the parent ...
        Assert.Equal(producer.SpanId, first.ParentSpanId);
        Assert.Equal(producer.SpanId, Assert.Single(first.Links).Context.SpanId); // ... and a link
        Assert.Equal("kafka", first.GetTagItem("messaging.system"));
        Assert.Equal("process", first.GetTagItem("messaging.operation.type"));
        Assert.Equal(topic, first.GetTagItem("messaging.destination.name"));
        Assert.Equal("0", first.GetTagItem("messaging.destination.partition.id"));
        Assert.Equal(group, first.GetTagItem("messaging.consumer.group.name"));
        Assert.Equal("k0", first.GetTagItem("messaging.kafka.message.key"));
        Assert.Equal("m-0", first.GetTagItem("messaging.message.id"));
        Assert.Equal("completed", first.GetTagItem("kafka_pipeline.outcome"));
        Assert.Equal(ActivityStatusCode.Unset, first.Status);

        var retried = deliveries[1];
        Assert.NotEqual(producer.TraceId, retried.TraceId); // no traceparent: a new trace
        Assert.Empty(retried.Links);
        Assert.Equal(ActivityStatusCode.Error, retried.Status);
        Assert.Equal("System.InvalidOperationException", retried.GetTagItem("error.type"));
        Assert.Contains(retried.Events, e => e.Name == "exception");
        Assert.Contains(retried.Events, e => e.Name == "retry");

        var last = deliveries[4];
        Assert.Equal("recovered", last.GetTagItem("kafka_pipeline.outcome"));
        var publish = Assert.Single(spans, s => s.OperationName == $"publish {topic}-dlt");
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Equal(last.SpanId, publish.ParentSpanId);
        Assert.Equal(producer.TraceId, publish.TraceId);

        var deadLetter = Assert.Single(KafkaIo.WaitForRecords(fixture.Bootstrap, topic + "-dlt", 1));
        Assert.True(deadLetter.Message.Headers.TryGetLastBytes("traceparent", out var written));
        Assert.Equal($"00-{publish.TraceId}-{publish.SpanId}-01", Encoding.ASCII.GetString(written));
        Assert.Single(deadLetter.Message.Headers, h => h.Key == "traceparent");
    }

    [Fact]
    public async Task Metrics_CountOutcomesDurationsAndLagPerGroup()
    {
        var (topic, group) = ErrorHandlingHost.Names(fixture, partitions: 2, prefix: "metered");
        fixture.Cluster.CreateTopic(topic + "-dlt", 2);
        var duplicate = new Headers { { "message-id", Encoding.UTF8.GetBytes("same") } };
        await KafkaIo.ProduceAsync(fixture.Bootstrap, topic,
        [
            (0, "a", "{\"id\":0,\"seq\":0}", duplicate),
            (0, "a", "{\"id\":0,\"seq\":1}", duplicate),   // the same message again: skipped
            (0, "b", "{\"id\":1,\"seq\":2}", null),        // fails once, then handled
            (1, "c", "{\"id\":2,\"seq\":0}", null),        // fails for good: dead-lettered
            (1, "d", "{\"id\":3,\"seq\":1}", null),
        ]);
        var measurements = new ConcurrentQueue<(string Name, double Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == KafkaPipelineTelemetry.MeterName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var all = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                all[tag.Key] = tag.Value;
            }

            if (Equals(all.GetValueOrDefault("messaging.consumer.group.name"), group))
            {
                measurements.Enqueue((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), all));
            }
        }

        meters.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        meters.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        meters.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        meters.Start();
        var recorder = new Recorder
        {
            Behavior = c => (c.Partition, c.Offset, c.DeliveryAttempt) is (1, 0, _) or (0, 2, 1)
                ? throw new TimeoutException("downstream slow")
                : ValueTask.CompletedTask,
        };
        double Sum(string name) => measurements.Where(m => m.Name == name).Sum(m => m.Value);

        await using var host = await PipelineHost.StartAsync(
            fixture.Bootstrap,
            recorder,
            b => b.AddHandler<OrderHandler>(topic, group).UseInMemoryDeduplication()
                .UseDefaultErrorHandler(eh => eh.BackOff(new FixedBackOff(TimeSpan.FromMilliseconds(20), 1))),
            new Dictionary<string, string?>
            {
                [$"Kafka:Consumers:{group}:CommitMode"] = "PerRecord",
                ["Kafka:Health:StatisticsInterval"] = "00:00:00.200",
            });
        await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 2) is [3, 2], "all five done");
        await Eventually.True(() => Sum(PipelineMetrics.Handled) == 3, "three handled");

        Assert.Equal(1, Sum(PipelineMetrics.Duplicates));
        Assert.Equal(2, Sum(PipelineMetrics.Retried));  // (0,2) first delivery, (1,0) first delivery
        Assert.Equal(1, Sum(PipelineMetrics.Failed));
        var deadLettered = Assert.Single(measurements, m => m.Name == PipelineMetrics.DeadLettered);
        Assert.Equal(topic + "-dlt", deadLettered.Tags["kafka_pipeline.dead_letter.topic"]);
        var durations = measurements.Where(m => m.Name == PipelineMetrics.Duration).ToList();
        Assert.Equal(7, durations.Count); // 5 records, 2 delivered twice
        Assert.All(durations, d => Assert.True(d.Value >= 0));
        Assert.Equal(topic, durations[0].Tags["messaging.destination.name"]);

        await Eventually.True(() =>
        {
            meters.RecordObservableInstruments();
            return measurements.Count(m => m.Name == PipelineMetrics.Lag && Equals(m.Value, 0d)) >= 2
                && measurements.Any(m => m.Name == PipelineMetrics.InFlight);
        }, "lag 0 of both partitions observed after the commits");
        Assert.Contains(measurements, m => m.Name == PipelineMetrics.Lag && Equals(m.Tags["messaging.destination.partition.id"], "1"));
    }

    [Fact]
    public async Task Logs_RetryIsOneLineWithoutStackTraceAndTheStackTraceAppearsOnceWhenDeadLettered()
    {
        var (topic, group) = ErrorHandlingHost.Names(fixture, partitions: 1, prefix: "logged");
        fixture.Cluster.CreateTopic(topic + "-dlt", 1);
        await KafkaIo.ProduceOrdersAsync(fixture.Bootstrap, topic, partitions: 1, perPartition: 1);
        var logs = new ListLogger();
        var recorder = new Recorder { Behavior = _ => throw new InvalidOperationException("always fails") };

        await using (var host = await PipelineHost.StartAsync(
            fixture.Bootstrap,
            recorder,
            b => b.AddHandler<OrderHandler>(topic, group).UseDefaultErrorHandler(eh => eh.BackOff(new FixedBackOff(TimeSpan.FromMilliseconds(20), 3))),
            new Dictionary<string, string?> { [$"Kafka:Consumers:{group}:CommitMode"] = "PerRecord" },
            services: logs.Register))
        {
            await Eventually.True(() => KafkaIo.Committed(fixture.Bootstrap, group, topic, 1)[0] == 1, "dead-lettered and committed");
        }

        var retries = logs.Entries.Where(e => e.EventId.Id == 2000).ToList();
        Assert.Equal(3, retries.Count);
        Assert.All(retries, r => Assert.Null(r.Exception));
        Assert.All(retries, r => Assert.Contains("System.InvalidOperationException: always fails", r.Message));
        Assert.Null(Assert.Single(logs.Entries, e => e.EventId.Id == 2001).Exception);
        var recovered = Assert.Single(logs.Entries, e => e.EventId.Id == 2003);
        Assert.IsType<InvalidOperationException>(recovered.Exception);
        Assert.Single(logs.Entries, e => e.Exception is InvalidOperationException);
        Assert.Contains(logs.Entries, e => e.EventId.Id == 2010 && e.Level == LogLevel.Information);
    }
}
