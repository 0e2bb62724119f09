using System.Diagnostics;
using System.Text;
using Confluent.Kafka;

namespace KafkaPipeline.Telemetry;

/// <summary>
/// W3C trace context in Kafka record headers (<c>traceparent</c>, <c>tracestate</c>), as OpenTelemetry's Kafka producers
/// write it. Only read when a span is recorded.
/// </summary>
internal static class TraceContextHeaders
{
    public const string TraceParent = "traceparent";
    public const string TraceState = "tracestate";

    /// <summary>The producer's span context from the record's headers, when it carries a valid <c>traceparent</c>.</summary>
    public static bool TryExtract(Headers? headers, out ActivityContext context)
    {
        context = default;
        if (headers is null || !headers.TryGetLastBytes(TraceParent, out var parent) || parent.Length == 0)
        {
            return false;
        }

        string? state = headers.TryGetLastBytes(TraceState, out var stateBytes) ? Encoding.UTF8.GetString(stateBytes) : null;
        return ActivityContext.TryParse(Encoding.ASCII.GetString(parent), state, isRemote: true, out context);
    }

    /// <summary>Replaces the trace context headers with <paramref name="activity"/>'s (the span that sends the record).</summary>
    public static void Inject(Headers headers, Activity activity)
    {
        headers.Remove(TraceParent);
        headers.Remove(TraceState);
        headers.Add(TraceParent, Encoding.ASCII.GetBytes(activity.Id!));
        if (!string.IsNullOrEmpty(activity.TraceStateString))
        {
            headers.Add(TraceState, Encoding.UTF8.GetBytes(activity.TraceStateString));
        }
    }
}
