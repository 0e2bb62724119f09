namespace KafkaPipeline.Native;

/// <summary>
/// The shared client settings (<c>Kafka:Client</c>) reach every client the pipeline builds: consumers, the dead-letter
/// and retry-topic producer, admin clients. librdkafka accepts a property of the other kind of client but prints a
/// <c>CONFWARN</c> line on stderr ("... is a consumer property and will be ignored by this producer instance") while the
/// client is built, before any log handler can take it. So a shared setting that only one kind of client reads is
/// passed to that kind only. Settings in a client's own section (e.g. <c>Kafka:ErrorHandling:DeadLetterProducer:Client</c>)
/// are passed as given. The lists follow the C and P scopes of librdkafka's CONFIGURATION.md (2.x).
/// </summary>
internal static class ClientScopes
{
    private static readonly HashSet<string> ConsumerOnly = new(StringComparer.Ordinal)
    {
        "group.id", "group.instance.id", "partition.assignment.strategy", "session.timeout.ms", "heartbeat.interval.ms",
        "group.protocol.type", "group.protocol", "group.remote.assignor", "coordinator.query.interval.ms",
        "max.poll.interval.ms", "enable.auto.commit", "auto.commit.enable", "auto.commit.interval.ms",
        "enable.auto.offset.store", "queued.min.messages", "queued.max.messages.kbytes", "fetch.wait.max.ms",
        "fetch.queue.backoff.ms", "fetch.message.max.bytes", "max.partition.fetch.bytes", "fetch.max.bytes",
        "fetch.min.bytes", "fetch.error.backoff.ms", "offset.store.method", "offset.store.path",
        "offset.store.sync.interval.ms", "isolation.level", "enable.partition.eof", "check.crcs", "max.poll.records",
        "share.acknowledgement.mode", "auto.offset.reset", "consume.callback.max.messages",
    };

    private static readonly HashSet<string> ProducerOnly = new(StringComparer.Ordinal)
    {
        "transactional.id", "transaction.timeout.ms", "enable.idempotence", "enable.gapless.guarantee",
        "queue.buffering.max.messages", "queue.buffering.max.kbytes", "queue.buffering.max.ms", "linger.ms",
        "message.send.max.retries", "retries", "queue.buffering.backpressure.threshold", "compression.codec",
        "compression.type", "compression.level", "batch.num.messages", "batch.size", "delivery.report.only.error",
        "sticky.partitioning.linger.ms", "request.required.acks", "acks", "request.timeout.ms", "message.timeout.ms",
        "delivery.timeout.ms", "queuing.strategy", "produce.offset.report", "partitioner",
    };

    /// <summary>The shared settings a producer reads (consumer-only properties left out).</summary>
    public static Dictionary<string, string> ForProducer(IEnumerable<KeyValuePair<string, string>> shared) => Without(shared, ConsumerOnly, null);

    /// <summary>The shared settings a consumer reads (producer-only properties left out).</summary>
    public static Dictionary<string, string> ForConsumer(IEnumerable<KeyValuePair<string, string>> shared) => Without(shared, ProducerOnly, null);

    /// <summary>The shared settings an admin client reads (neither consumer- nor producer-only properties).</summary>
    public static Dictionary<string, string> ForAdmin(IEnumerable<KeyValuePair<string, string>> shared) => Without(shared, ConsumerOnly, ProducerOnly);

    private static Dictionary<string, string> Without(IEnumerable<KeyValuePair<string, string>> shared, HashSet<string> first, HashSet<string>? second)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in shared)
        {
            if (!first.Contains(key) && second?.Contains(key) != true)
            {
                settings[key] = value;
            }
        }

        return settings;
    }
}
