using Confluent.Kafka;

namespace KafkaPipeline.DeadLetters.Connection;

/// <summary>
/// Collects what librdkafka reports in the background (connection refused, authentication failed) instead of letting it
/// print to stderr, so an error message can say why the brokers did not answer.
/// </summary>
internal sealed class ClientErrors
{
    private readonly Lock _gate = new();
    private string? _last;

    public string? Last
    {
        get
        {
            lock (_gate)
            {
                return _last;
            }
        }
    }

    public void Record(Error error)
    {
        lock (_gate)
        {
            _last = error.Reason;
        }
    }

    public void Record(LogMessage message)
    {
        if (message.Level <= SyslogLevel.Warning)
        {
            lock (_gate)
            {
                _last = message.Message;
            }
        }
    }
}
