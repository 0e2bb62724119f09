using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.Diagnostics;
using KafkaPipeline.Native;
using KafkaPipeline.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>
/// The application's one Confluent producer for dead letters (a DI singleton shared by every consumer): built on first
/// use from <c>Kafka:BootstrapServers</c>, <c>Kafka:Client</c> and <see cref="DeadLetterProducerOptions"/>, with
/// <c>acks=all</c> and idempotence forced; flushed and disposed with the service provider, after the consumers stopped.
/// </summary>
internal sealed class KafkaDeadLetterProducer : IDeadLetterProducer, IDisposable
{
    /// <summary>The producer's own limit of one dead letter unless configured: the broker's topic limit is what counts.</summary>
    internal const int MessageMaxBytes = 64 * 1024 * 1024;

    /// <summary>Pause between metadata requests while a dead-letter topic is being created.</summary>
    private static readonly TimeSpan MetadataRetryDelay = TimeSpan.FromMilliseconds(100);
    private readonly DeadLetterProducerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly KafkaPipeline.Diagnostics.KafkaClientLog _clientLog;
    private readonly Lazy<IProducer<byte[]?, byte[]?>> _producer;
    private readonly Lazy<IAdminClient> _admin;
    private readonly Dictionary<string, (int Count, DateTimeOffset Expires)> _partitionCounts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private bool _disposed;

    public KafkaDeadLetterProducer(
        IOptions<KafkaPipelineOptions> pipelineOptions,
        IOptions<DeadLetterProducerOptions> options,
        TimeProvider time,
        ILogger<KafkaDeadLetterProducer> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _clientLog = new KafkaPipeline.Diagnostics.KafkaClientLog(logger, "dead-letter producer", time);
        _producer = new(() => Build(CreateConfig(pipelineOptions.Value, _options, _logger)), LazyThreadSafetyMode.ExecutionAndPublication);
        _admin = new(() => new DependentAdminClientBuilder(_producer.Value.Handle).Build(), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public async Task<DeliveryResult<byte[]?, byte[]?>> ProduceAsync(TopicPartition destination, Message<byte[]?, byte[]?> message, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return await _producer.Value.ProduceAsync(destination, message, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<int?> GetPartitionCountAsync(string topic, CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _options.MetadataTimeout;
        lock (_gate)
        {
            if (_partitionCounts.TryGetValue(topic, out var cached) && cached.Expires > _time.GetUtcNow())
            {
                return cached.Count;
            }
        }

        while (true)
        {
            var remaining = deadline - _time.GetUtcNow();
            Error error;
            try
            {
                var metadata = _admin.Value.GetMetadata(topic, remaining > TimeSpan.Zero ? remaining : TimeSpan.FromMilliseconds(1));
                var found = metadata.Topics.FirstOrDefault(t => string.Equals(t.Topic, topic, StringComparison.Ordinal));
                if (found is { Error.IsError: false, Partitions.Count: > 0 })
                {
                    lock (_gate)
                    {
                        _partitionCounts[topic] = (found.Partitions.Count, _time.GetUtcNow() + _options.MetadataCacheDuration);
                    }

                    return found.Partitions.Count;
                }

                error = found?.Error ?? new Error(ErrorCode.UnknownTopicOrPart);
            }
            catch (KafkaException ex)
            {
                Log.DeadLetterMetadataFailed(_logger, topic, ex);
                return null;
            }

            // A topic being auto-created answers LEADER_NOT_AVAILABLE (or UNKNOWN_TOPIC_OR_PART until it propagated) at first.
            if (error.Code is not (ErrorCode.LeaderNotAvailable or ErrorCode.UnknownTopicOrPart) || _time.GetUtcNow() + MetadataRetryDelay >= deadline)
            {
                Log.DeadLetterMetadataFailed(_logger, topic, new KafkaException(error));
                return null;
            }

            await Task.Delay(MetadataRetryDelay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    public void ForgetPartitionCount(string topic)
    {
        lock (_gate)
        {
            _partitionCounts.Remove(topic);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_admin.IsValueCreated)
        {
            _admin.Value.Dispose();
        }

        if (_producer.IsValueCreated)
        {
            var left = _producer.Value.Flush(_options.FlushTimeout);
            if (left > 0)
            {
                Log.ProducerFlushIncomplete(_logger, left, _options.FlushTimeout);
            }

            _producer.Value.Dispose();
        }
    }

    /// <summary>User settings first, then what the no-loss promise needs.</summary>
    internal static ProducerConfig CreateConfig(KafkaPipelineOptions pipeline, DeadLetterProducerOptions options, ILogger logger)
    {
        var settings = ClientScopes.ForProducer(pipeline.Client);
        foreach (var (key, value) in options.Client)
        {
            settings[key] = value;
        }

        var config = new ProducerConfig(settings) { BootstrapServers = pipeline.BootstrapServers };
        Force(config, "acks", "all", logger, "a dead letter counts only once every in-sync replica has it");
        Force(config, "enable.idempotence", "true", logger, "retries must not duplicate or reorder dead letters");
        if (config.Get("message.timeout.ms") is null && config.Get("delivery.timeout.ms") is null)
        {
            config.MessageTimeoutMs = (int)options.DeliveryTimeout.TotalMilliseconds;
        }

        // Every dead letter (and retry-topic forward) is awaited by the lane of its record, and in Partition and Key mode
        // what is queued behind it waits too: librdkafka's 5 ms linger would add 5 ms to each. Without linger, records that
        // arrive while a produce request is in flight still go together in the next one.
        config.LingerMs ??= 0;

        // A dead letter is the failed record plus headers. librdkafka's default limit (1,000,000 bytes) is below what a
        // topic with Kafka's default max.message.bytes (1,048,588) accepts, so a record the consumer could read would be
        // refused locally. The broker's limit of the dead-letter topic decides instead.
        config.MessageMaxBytes ??= MessageMaxBytes;
        config.ClientId ??= "kafka-pipeline-dead-letter";
        return config;
    }

    private IProducer<byte[]?, byte[]?> Build(ProducerConfig config)
    {
        KafkaNativeLibrary.EnsureLoaded();
        return new ProducerBuilder<byte[]?, byte[]?>(config)
            .SetKeySerializer(NullableBytes.Instance)
            .SetValueSerializer(NullableBytes.Instance)
            .SetErrorHandler((_, error) => OnError(error))
            .SetLogHandler((_, message) => _clientLog.OnLog(message))
            .Build();
    }

    /// <summary>Fatal errors always; transient ones (a broker down) once, then a summary per minute.</summary>
    private void OnError(Error error)
    {
        if (error.IsFatal)
        {
            Log.ProducerError(_logger, error.Reason, error.Code.ToString());
        }
        else
        {
            _clientLog.OnError(error);
            _clientLog.Flush();
        }
    }

    private static void Force(ProducerConfig config, string key, string value, ILogger logger, string reason)
    {
        var current = config.Get(key);
        if (current is not null && !string.Equals(current, value, StringComparison.OrdinalIgnoreCase)
            && !(key == "acks" && current is "-1"))
        {
            Log.ProducerSettingOverridden(logger, key, current, value, reason);
        }

        config.Set(key, value);
    }

    private sealed class NullableBytes : ISerializer<byte[]?>
    {
        public static readonly NullableBytes Instance = new();

        public byte[]? Serialize(byte[]? data, SerializationContext context) => data;
    }
}
