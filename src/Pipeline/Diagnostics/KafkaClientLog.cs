using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Diagnostics;

/// <summary>
/// Routes one Kafka client's librdkafka log lines and error callbacks to <see cref="ILogger"/> (nothing reaches stderr):
/// syslog levels mapped to log levels, a repeated identical line or error logged once and then as one "repeated N times"
/// summary per minute. librdkafka's FAIL/ERROR lines repeat what the error callback reports, so they go to Debug.
/// Transient errors are logged at <paramref name="errorLevel"/> (Warning; Debug for a helper whose failure is reported
/// otherwise, like the checklist's admin client).
/// </summary>
internal sealed class KafkaClientLog(ILogger logger, string client, TimeProvider time, LogLevel errorLevel = LogLevel.Warning)
{
    private readonly RepeatGate _gate = new(time);

    /// <summary>librdkafka's syslog level as a log level (Microsoft.Extensions.Logging's usual mapping).</summary>
    public static LogLevel Map(SyslogLevel level) => level switch
    {
        SyslogLevel.Emergency or SyslogLevel.Alert or SyslogLevel.Critical => LogLevel.Critical,
        SyslogLevel.Error => LogLevel.Error,
        SyslogLevel.Warning => LogLevel.Warning,
        SyslogLevel.Notice or SyslogLevel.Info => LogLevel.Information,
        _ => LogLevel.Debug,
    };

    /// <summary>A librdkafka log line (any thread).</summary>
    public void OnLog(LogMessage message)
    {
        // FAIL/ERROR lines repeat what the error callback reports; CONFWARN says a shared Kafka:Client setting does not
        // apply to this kind of client, which is expected.
        var level = message.Facility is "FAIL" or "ERROR" or "CONFWARN" ? LogLevel.Debug : Map(message.Level);
        if (!logger.IsEnabled(level))
        {
            return;
        }

        var text = $"{message.Facility} {message.Message}";
        if (_gate.Admit(text, out var repeats, out var over, level))
        {
            ReportRepeats(text, repeats, over, level);
            Log.ClientLogLine(logger, level, client, message.Facility, message.Message);
        }
    }

    /// <summary>A non-fatal client error callback (the owner logs fatal ones), collapsed when it repeats.</summary>
    public void OnError(Error error)
    {
        var text = $"{error.Code}: {error.Reason}";
        if (_gate.Admit(text, out var repeats, out var over, errorLevel))
        {
            ReportRepeats(text, repeats, over, errorLevel);
            Log.ClientErrorTransient(logger, errorLevel, client, error.Reason, error.Code.ToString());
        }
    }

    /// <summary>Reports repeats whose minute ended (call now and then, e.g. from the poll loop).</summary>
    public void Flush()
    {
        if (_gate.Flush() is not { } due)
        {
            return;
        }

        foreach (var (message, repeats, over, level) in due)
        {
            Log.ClientMessageRepeated(logger, level, client, message, repeats, over);
        }
    }

    private void ReportRepeats(string message, int repeats, TimeSpan over, LogLevel level)
    {
        if (repeats > 0)
        {
            Log.ClientMessageRepeated(logger, level, client, message, repeats, over);
        }
    }
}
