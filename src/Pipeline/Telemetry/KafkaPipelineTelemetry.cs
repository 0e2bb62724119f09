namespace KafkaPipeline.Telemetry;

/// <summary>
/// Names of KafkaPipeline's <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>,
/// for OpenTelemetry (<c>AddSource</c>/<c>AddMeter</c>, or the one-line <c>AddKafkaPipelineInstrumentation()</c> of the
/// KafkaPipeline.OpenTelemetry package) or your own <see cref="System.Diagnostics.ActivityListener"/> and
/// <see cref="System.Diagnostics.Metrics.MeterListener"/>. Nothing is recorded unless something listens.
/// </summary>
public static class KafkaPipelineTelemetry
{
    /// <summary>The activity source of the <c>process</c> spans and the dead-letter <c>publish</c> spans: <c>KafkaPipeline</c>.</summary>
    public const string ActivitySourceName = "KafkaPipeline";

    /// <summary>The meter of every KafkaPipeline instrument: <c>KafkaPipeline</c>.</summary>
    public const string MeterName = "KafkaPipeline";
}
