using Confluent.Kafka;
using KafkaPipeline.Consuming;
using KafkaPipeline.Health;
using KafkaPipeline.Options;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace KafkaPipeline.Tests.Observability;

/// <summary>The progress tracker and the liveness/readiness checks over it, on a fake clock.</summary>
public sealed class HealthTests
{
    private static readonly TopicPartition P0 = new("orders", 0);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly KafkaPipelineOptions _options = new() { BootstrapServers = "127.0.0.1:1" };
    private readonly KafkaConsumerMonitor _monitor = new();
    private readonly KafkaConsumerStatus _status;
    private readonly PartitionProgressTracker _tracker;
    private readonly Dictionary<TopicPartition, PartitionWork> _partitions = new(PartitionComparer.Instance);

    public HealthTests()
    {
        _options.Health.StallTimeout = TimeSpan.FromMinutes(1);
        _options.Health.BrokerUnreachableGracePeriod = TimeSpan.FromSeconds(30);
        _status = _monitor.Register("billing");
        _status.State = KafkaConsumerState.Running;
        _tracker = new PartitionProgressTracker(_status, _options.Health, _time);
        _partitions[P0] = new PartitionWork(P0);
    }

    [Fact]
    public async Task Readiness_RecordPendingAndPositionUnmovedPastStallTimeout_DegradedWithCoordinates()
    {
        _partitions[P0].Offsets.TryAccept(41);
        _partitions[P0].Offsets.MarkDone(41);
        _partitions[P0].Offsets.TryAccept(42); // runs and never finishes
        _tracker.Refresh(_partitions, force: true);
        _time.Advance(TimeSpan.FromSeconds(59));
        _tracker.Refresh(_partitions, force: true);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(KafkaHealthScope.Readiness)).Status);

        _time.Advance(TimeSpan.FromSeconds(1));
        _tracker.Refresh(_partitions, force: true);
        var ready = await CheckAsync(KafkaHealthScope.Readiness);

        Assert.Equal(HealthStatus.Degraded, ready.Status);
        Assert.Contains("group 'billing' has stalled partitions: orders [0] at offset 42", ready.Description);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(KafkaHealthScope.Liveness)).Status);
        Assert.True(Assert.Single(_status.Partitions).Stalled);
    }

    [Fact]
    public async Task Readiness_PositionMovesAgain_NoLongerStalled()
    {
        _partitions[P0].Offsets.TryAccept(0);
        _partitions[P0].Offsets.TryAccept(1);
        _tracker.Refresh(_partitions, force: true);
        _time.Advance(TimeSpan.FromMinutes(2));
        _tracker.Refresh(_partitions, force: true);
        Assert.True(_status.Partitions[0].Stalled);

        _partitions[P0].Offsets.MarkDone(0);
        _tracker.Refresh(_partitions, force: true);

        Assert.False(_status.Partitions[0].Stalled);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(KafkaHealthScope.Readiness)).Status);
    }

    [Fact]
    public async Task Readiness_IdlePartitionWithoutLag_NeverStalled()
    {
        _tracker.OnStatistics(Statistics(brokerState: "UP", lag: 0));
        _tracker.Refresh(_partitions, force: true);
        _time.Advance(TimeSpan.FromHours(1));
        _tracker.Refresh(_partitions, force: true);

        Assert.False(_status.Partitions[0].Stalled);
        Assert.Equal(0, _status.Partitions[0].Lag);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(KafkaHealthScope.Readiness)).Status);
    }

    [Fact]
    public async Task Readiness_LagFromStatisticsAndNoProgress_Stalled()
    {
        _tracker.OnStatistics(Statistics(brokerState: "UP", lag: 17));
        _tracker.Refresh(_partitions, force: true);
        _time.Advance(TimeSpan.FromMinutes(1));
        _tracker.Refresh(_partitions, force: true);

        Assert.Equal(17, _status.Partitions[0].Lag);
        Assert.Contains("lag 17", (await CheckAsync(KafkaHealthScope.Readiness)).Description);
    }

    [Fact]
    public void Lag_NoStatistics_HighWatermarkMinusPosition()
    {
        var tracker = new PartitionProgressTracker(_status, _options.Health, _time, _ => 50);
        _partitions[P0].Offsets.TryAccept(9);
        tracker.Refresh(_partitions, force: true);
        Assert.Equal(-1, _status.Partitions[0].Lag); // nothing done yet: no position

        _partitions[P0].Offsets.MarkDone(9);
        tracker.Refresh(_partitions, force: true);
        Assert.Equal(40, _status.Partitions[0].Lag);

        tracker.OnStatistics(Statistics(brokerState: "UP", lag: 12)); // librdkafka's committed-based lag wins when known
        tracker.Refresh(_partitions, force: true);
        Assert.Equal(12, _status.Partitions[0].Lag);
    }

    [Fact]
    public async Task Readiness_AllBrokersDown_DegradedThenUnhealthyAfterGraceThenHealthyWhenABrokerIsUp()
    {
        _tracker.OnError(new Error(ErrorCode.Local_AllBrokersDown, "1/1 brokers are down"));
        Assert.Equal(HealthStatus.Degraded, (await CheckAsync(KafkaHealthScope.Readiness)).Status);

        _time.Advance(TimeSpan.FromSeconds(30));
        _tracker.OnStatistics(Statistics(brokerState: "CONNECT", lag: -1)); // still down: keeps the first time
        var ready = await CheckAsync(KafkaHealthScope.Readiness);
        Assert.Equal(HealthStatus.Unhealthy, ready.Status);
        Assert.Contains("reaches no broker since 2026-01-01T00:00:00", ready.Description);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(KafkaHealthScope.Liveness)).Status); // a restart would not help

        _tracker.OnStatistics(Statistics(brokerState: "UP", lag: 0));
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(KafkaHealthScope.Readiness)).Status);
    }

    [Fact]
    public async Task Liveness_StoppedPartitionOrFault_UnhealthyAndStoppedStatusConfigurable()
    {
        _status.SetStopped([P0]);
        Assert.Equal(HealthStatus.Unhealthy, (await CheckAsync(KafkaHealthScope.Liveness)).Status);
        _options.Health.StoppedPartitionStatus = HealthStatus.Degraded;
        Assert.Equal(HealthStatus.Degraded, (await CheckAsync(KafkaHealthScope.Liveness)).Status);

        _status.Fault = new InvalidOperationException("boom");
        _status.State = KafkaConsumerState.Faulted;
        var live = await CheckAsync(KafkaHealthScope.Liveness);
        Assert.Equal(HealthStatus.Unhealthy, live.Status);
        Assert.Contains("group 'billing' faulted: boom", live.Description);
    }

    [Fact]
    public void ClientStatistics_Parse_BrokerStatesAndLagOfRealPartitionsOnly()
    {
        var statistics = ClientStatistics.Parse(Statistics("UP", 5))!;

        Assert.True(statistics.AnyBrokerUp);
        Assert.Equal(2, statistics.Brokers);
        Assert.Equal(5, statistics.Lags[("orders", 0)]);
        Assert.False(statistics.Lags.ContainsKey(("orders", -1)));
        Assert.Null(ClientStatistics.Parse("{not json"));
    }

    [Fact]
    public void Validate_NegativeOrZeroDurations_NamePathAndFix()
    {
        _options.Health.StallTimeout = TimeSpan.Zero;
        _options.Health.BrokerUnreachableGracePeriod = TimeSpan.FromSeconds(-1);
        var result = new KafkaHealthOptionsValidator().Validate(null, _options);

        Assert.True(result.Failed);
        Assert.Contains("Kafka:Health:StallTimeout", result.FailureMessage);
        Assert.Contains("Kafka:Health:BrokerUnreachableGracePeriod", result.FailureMessage);
        Assert.Contains("Fix:", result.FailureMessage);
    }

    private Task<HealthCheckResult> CheckAsync(KafkaHealthScope scope) =>
        new KafkaPipelineHealthCheck(_monitor, Microsoft.Extensions.Options.Options.Create(_options), _time, scope)
            .CheckHealthAsync(new HealthCheckContext());

    private static string Statistics(string brokerState, long lag) => $$"""
        {
          "name": "rdkafka#consumer-1", "type": "consumer",
          "brokers": {
            "127.0.0.1:1/bootstrap": { "name": "127.0.0.1:1/bootstrap", "nodeid": -1, "state": "INIT" },
            "127.0.0.1:2/2": { "name": "127.0.0.1:2/2", "nodeid": 2, "state": "{{brokerState}}" }
          },
          "topics": {
            "orders": {
              "topic": "orders",
              "partitions": {
                "0": { "partition": 0, "committed_offset": 3, "hi_offset": {{3 + Math.Max(0, lag)}}, "consumer_lag": {{lag}} },
                "-1": { "partition": -1, "committed_offset": -1001, "consumer_lag": -1 }
              }
            }
          }
        }
        """;
}
