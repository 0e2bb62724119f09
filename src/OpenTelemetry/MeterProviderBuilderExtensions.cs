using KafkaPipeline.Telemetry;

namespace OpenTelemetry.Metrics;

/// <summary>Adds KafkaPipeline's instruments to an OpenTelemetry meter provider.</summary>
public static class KafkaPipelineMeterProviderBuilderExtensions
{
    /// <summary>
    /// Collects KafkaPipeline's counters, the <c>messaging.process.duration</c> histogram and the in-flight, paused,
    /// stopped, stalled and lag gauges: the meter <see cref="KafkaPipelineTelemetry.MeterName"/>.
    /// </summary>
    public static MeterProviderBuilder AddKafkaPipelineInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter(KafkaPipelineTelemetry.MeterName);
    }
}
