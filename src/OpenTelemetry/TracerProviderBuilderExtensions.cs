using KafkaPipeline.Telemetry;

namespace OpenTelemetry.Trace;

/// <summary>Adds KafkaPipeline's spans to an OpenTelemetry tracer provider.</summary>
public static class KafkaPipelineTracerProviderBuilderExtensions
{
    /// <summary>
    /// Records KafkaPipeline's <c>process &lt;topic&gt;</c> spans (one per delivery of a record, continuing the producer's
    /// <c>traceparent</c>) and its dead-letter <c>publish &lt;topic&gt;</c> spans: the activity source
    /// <see cref="KafkaPipelineTelemetry.ActivitySourceName"/>.
    /// </summary>
    public static TracerProviderBuilder AddKafkaPipelineInstrumentation(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource(KafkaPipelineTelemetry.ActivitySourceName);
    }
}
