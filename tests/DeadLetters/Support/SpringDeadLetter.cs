using System.Text;
using Confluent.Kafka;
using KafkaPipeline.Tests.Support;

namespace KafkaPipeline.DeadLetters.Tests.Support;

/// <summary>
/// A dead-letter record as Spring for Apache Kafka's DeadLetterPublishingRecoverer writes it, encoded here by hand
/// (independently of the production encoders): UTF-8 strings, 4-byte big-endian partition, 8-byte big-endian offset
/// and timestamp, Java exception class names.
/// </summary>
public sealed record SpringDeadLetter(string OriginalTopic, int OriginalPartition, long OriginalOffset)
{
    public string? Key { get; init; } = "key-1";

    public string? Value { get; init; } = "{\"id\":1}";

    public long OriginalTimestampMs { get; init; } = 1_700_000_000_000;

    public string Group { get; init; } = "billing";

    public string ExceptionFqcn { get; init; } = "org.springframework.kafka.listener.ListenerExecutionFailedException";

    public string CauseFqcn { get; init; } = "java.lang.IllegalStateException";

    public string Message { get; init; } = "Listener failed; java.lang.IllegalStateException: order total is negative";

    /// <summary>A replay count header (as a previous replay would have left), or none.</summary>
    public int? ReplayCount { get; init; }

    /// <summary>Raw bytes of the original-partition header (e.g. malformed ones); wins over <see cref="OriginalPartition"/>.</summary>
    public byte[]? OriginalPartitionBytes { get; init; }

    /// <summary>Raw bytes of a replay count header (e.g. malformed ones); wins over <see cref="ReplayCount"/>.</summary>
    public byte[]? ReplayCountBytes { get; init; }

    /// <summary>The dead-letter record's own timestamp (when it failed); null lets the producer choose.</summary>
    public DateTimeOffset? FailedAt { get; init; }

    /// <summary>Application headers of the original record, in order, before the dead-letter headers.</summary>
    public IReadOnlyList<(string Name, string Value)> ApplicationHeaders { get; init; } = [("message-id", "m-1"), ("trace", "t-1")];

    public Headers Headers()
    {
        var headers = new Headers();
        foreach (var (name, value) in ApplicationHeaders)
        {
            headers.Add(name, Encoding.UTF8.GetBytes(value));
        }

        if (ReplayCountBytes is { } raw)
        {
            headers.Add("kafka_dlt-replay-count", raw);
        }
        else if (ReplayCount is { } count)
        {
            headers.Add("kafka_dlt-replay-count", BigEndian(count, 4));
        }

        headers.Add("kafka_dlt-original-topic", Encoding.UTF8.GetBytes(OriginalTopic));
        headers.Add("kafka_dlt-original-partition", OriginalPartitionBytes ?? BigEndian(OriginalPartition, 4));
        headers.Add("kafka_dlt-original-offset", BigEndian(OriginalOffset, 8));
        headers.Add("kafka_dlt-original-timestamp", BigEndian(OriginalTimestampMs, 8));
        headers.Add("kafka_dlt-original-timestamp-type", Encoding.UTF8.GetBytes("CreateTime"));
        headers.Add("kafka_dlt-original-consumer-group", Encoding.UTF8.GetBytes(Group));
        headers.Add("kafka_dlt-exception-fqcn", Encoding.UTF8.GetBytes(ExceptionFqcn));
        headers.Add("kafka_dlt-exception-cause-fqcn", Encoding.UTF8.GetBytes(CauseFqcn));
        headers.Add("kafka_dlt-exception-message", Encoding.UTF8.GetBytes(Message));
        headers.Add("kafka_dlt-exception-stacktrace", Encoding.UTF8.GetBytes($"{ExceptionFqcn}: {Message}\n\tat com.example.OrderListener.onOrder(OrderListener.java:42)"));
        return headers;
    }

    /// <summary>Produces <paramref name="records"/>, in order, to <paramref name="partition"/> of the dead-letter topic <paramref name="dlt"/>.</summary>
    public static Task ProduceAsync(string bootstrap, string dlt, int partition, params SpringDeadLetter[] records) =>
        KafkaIo.ProduceAsync(bootstrap, dlt, partition, records.Select(r => r.ToMessage()));

    public Message<byte[]?, byte[]?> ToMessage() => new()
    {
        Key = Key is null ? null : Encoding.UTF8.GetBytes(Key),
        Value = Value is null ? null : Encoding.UTF8.GetBytes(Value),
        Headers = Headers(),
        Timestamp = FailedAt is { } at ? new Timestamp(at) : Timestamp.Default,
    };

    private static byte[] BigEndian(long value, int size)
    {
        var bytes = new byte[size];
        for (var i = size - 1; i >= 0; i--)
        {
            bytes[i] = (byte)(value & 0xff);
            value >>= 8;
        }

        return bytes;
    }
}
