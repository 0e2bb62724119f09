using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using KafkaPipeline.Health;
using KafkaPipeline.Telemetry;

namespace KafkaPipeline.Tests.Observability;

/// <summary>Trace context headers, and nothing recorded (or allocated for it) when nobody listens.</summary>
public sealed class TelemetryUnitTests
{
    [Fact]
    public void TryExtract_ValidTraceparentAndTracestate_RemoteContext()
    {
        var headers = new Headers
        {
            { "traceparent", Encoding.ASCII.GetBytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01") },
            { "tracestate", Encoding.UTF8.GetBytes("vendor=1") },
        };

        Assert.True(TraceContextHeaders.TryExtract(headers, out var context));
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", context.TraceId.ToHexString());
        Assert.Equal("b7ad6b7169203331", context.SpanId.ToHexString());
        Assert.Equal("vendor=1", context.TraceState);
        Assert.True(context.IsRemote);
    }

    [Theory]
    [InlineData("not-a-traceparent")]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")]
    [InlineData("")]
    public void TryExtract_InvalidTraceparent_Ignored(string value) =>
        Assert.False(TraceContextHeaders.TryExtract(new Headers { { "traceparent", Encoding.ASCII.GetBytes(value) } }, out _));

    [Fact]
    public void Inject_ReplacesExistingTraceContext()
    {
        var headers = new Headers { { "traceparent", Encoding.ASCII.GetBytes("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01") }, { "other", [1] } };
        using var activity = new Activity("publish").SetIdFormat(ActivityIdFormat.W3C).Start();

        TraceContextHeaders.Inject(headers, activity);

        Assert.Single(headers, h => h.Key == "traceparent");
        Assert.Equal(activity.Id, Encoding.ASCII.GetString(headers.GetLastBytes("traceparent")));
        Assert.Single(headers, h => h.Key == "other");
    }

    [Fact]
    public void Metrics_NoMeterListener_NotEnabledSoDeliveriesMeasureNothing()
    {
        using var metrics = new PipelineMetrics(new KafkaConsumerMonitor());

        Assert.False(metrics.Enabled);
        Assert.False(metrics.DurationEnabled);
    }
}
