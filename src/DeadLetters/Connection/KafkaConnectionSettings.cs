using Confluent.Kafka;

namespace KafkaPipeline.DeadLetters.Connection;

/// <summary>
/// How the dead-letter tools reach Kafka: bootstrap servers plus any librdkafka properties (<c>security.protocol</c>,
/// <c>sasl.*</c>, <c>ssl.*</c>, ...), passed to every client unchanged. Timeouts are short so an unreachable cluster is
/// reported in seconds, not minutes.
/// </summary>
public sealed class KafkaConnectionSettings
{
    private const string BootstrapKey = "bootstrap.servers";

    /// <summary>Comma-separated host:port list; when null, the <c>bootstrap.servers</c> property is used.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>librdkafka properties for every client the tools create.</summary>
    public IDictionary<string, string> Properties { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Longest wait for metadata, offsets and the next record before the brokers count as unreachable. Default 10 s.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the replay producer tries to deliver one record (<c>message.timeout.ms</c>) unless a property sets it. Default 30 s.</summary>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The bootstrap servers in effect (the property or the property fallback).</summary>
    public string? EffectiveBootstrapServers =>
        !string.IsNullOrWhiteSpace(BootstrapServers) ? BootstrapServers
        : Properties.TryGetValue(BootstrapKey, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>The settings with secret values masked, safe to print.</summary>
    public IReadOnlyDictionary<string, string> ToRedactedDictionary()
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Properties)
        {
            result[key] = SecretRedaction.IsSecret(key) ? SecretRedaction.Mask : value;
        }

        if (EffectiveBootstrapServers is { } bootstrap)
        {
            result[BootstrapKey] = bootstrap;
        }

        return result;
    }

    /// <summary>Throws <see cref="DeadLetterOperationException"/> (<see cref="DeadLetterErrorKind.Configuration"/>) naming every problem.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (EffectiveBootstrapServers is null)
        {
            errors.Add("No bootstrap servers: pass --bootstrap-servers host:port, set KAFKA_BOOTSTRAP_SERVERS, or put bootstrap.servers in the config file.");
        }

        if (Timeout <= TimeSpan.Zero || Timeout.TotalMilliseconds > int.MaxValue)
        {
            errors.Add($"Timeout is {Timeout}; use a positive duration (default 10 s).");
        }

        if (DeliveryTimeout <= TimeSpan.Zero || DeliveryTimeout.TotalMilliseconds > int.MaxValue)
        {
            errors.Add($"DeliveryTimeout is {DeliveryTimeout}; use a positive duration (default 30 s).");
        }

        if (errors.Count > 0)
        {
            throw new DeadLetterOperationException(DeadLetterErrorKind.Configuration, string.Join(Environment.NewLine, errors));
        }
    }

    internal Dictionary<string, string> BaseConfig(string clientId)
    {
        Validate();
        var config = new Dictionary<string, string>(Properties, StringComparer.Ordinal)
        {
            [BootstrapKey] = EffectiveBootstrapServers!,
        };
        var timeoutMs = ((int)Timeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        config.TryAdd("client.id", clientId);
        config.TryAdd("socket.connection.setup.timeout.ms", timeoutMs);
        config.TryAdd("socket.timeout.ms", timeoutMs);
        return config;
    }

    /// <summary>A consumer that never commits by itself; <paramref name="groupId"/> is only used for explicit commits.</summary>
    internal ConsumerConfig CreateConsumerConfig(string groupId) => new(BaseConfig("kafka-dlt"))
    {
        GroupId = groupId,
        EnableAutoCommit = false,
        EnableAutoOffsetStore = false,
        EnablePartitionEof = true,
        AutoOffsetReset = AutoOffsetReset.Earliest,
        AllowAutoCreateTopics = false,
    };

    /// <summary>acks=all and idempotence are forced: a record counts as replayed only once every in-sync replica has it.</summary>
    internal ProducerConfig CreateProducerConfig()
    {
        var config = new ProducerConfig(BaseConfig("kafka-dlt-replay"));
        config.Acks = Acks.All;
        config.EnableIdempotence = true;
        config.AllowAutoCreateTopics = false;
        if (config.Get("message.timeout.ms") is null && config.Get("delivery.timeout.ms") is null)
        {
            config.MessageTimeoutMs = (int)DeliveryTimeout.TotalMilliseconds;
        }

        return config;
    }

    internal AdminClientConfig CreateAdminConfig() => new(BaseConfig("kafka-dlt"));
}
