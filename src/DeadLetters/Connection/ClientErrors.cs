using Confluent.Kafka;

namespace KafkaPipeline.DeadLetters.Connection;

/// <summary>
/// Collects what librdkafka reports in the background (connection refused, name not resolved, authentication failed)
/// instead of letting it print to stderr, so an error message can say why the brokers did not answer, and so an
/// operation can give up at once when waiting cannot help.
/// </summary>
internal sealed class ClientErrors
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, bool> _definitiveByBroker = new(StringComparer.Ordinal);
    private string? _last;
    private string? _summary;
    private string? _lastLog;
    private bool _allBrokersDown;

    /// <summary>The most telling error seen: a broker's own error (e.g. <c>Connection refused</c>) before the "N/N brokers are down" summary, before a logged warning.</summary>
    public string? Last
    {
        get
        {
            lock (_gate)
            {
                return _last ?? _summary ?? _lastLog;
            }
        }
    }

    /// <summary>
    /// Every broker tried has failed in a way that retrying within the timeout will not change (connection refused, name
    /// not resolved, authentication or TLS failed) and librdkafka reports all brokers down: the error to report now.
    /// </summary>
    public string? Hopeless
    {
        get
        {
            lock (_gate)
            {
                return _allBrokersDown && _definitiveByBroker.Count > 0 && _definitiveByBroker.Values.All(d => d) ? _last : null;
            }
        }
    }

    public void Record(Error error)
    {
        lock (_gate)
        {
            if (error.Code == ErrorCode.Local_AllBrokersDown)
            {
                _allBrokersDown = true;
                _summary = error.Reason;
                return;
            }

            _last = error.Reason;
            if (Broker(error.Reason) is { } broker)
            {
                _definitiveByBroker[broker] = IsDefinitive(error);
            }
        }
    }

    public void Record(LogMessage message)
    {
        if (message.Level <= SyslogLevel.Warning)
        {
            lock (_gate)
            {
                _lastLog = message.Message;
            }
        }
    }

    private static bool IsDefinitive(Error error) => error.Code switch
    {
        ErrorCode.Local_Resolve or ErrorCode.Local_Authentication or ErrorCode.Local_Ssl => true,
        ErrorCode.Local_Transport => error.Reason.Contains("Connection refused", StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    // librdkafka prefixes a broker's errors with its name: "127.0.0.1:9092/bootstrap: Connect to ... failed: ...".
    private static string? Broker(string reason)
    {
        var end = reason.IndexOf(": ", StringComparison.Ordinal);
        return end > 0 && reason.AsSpan(0, end).Contains('/') ? reason[..end] : null;
    }
}
