using System.Diagnostics;
using Confluent.Kafka;
using KafkaPipeline.Native;

namespace KafkaPipeline.DeadLetters.Connection;

/// <summary>Creates the Confluent clients of one operation and turns their failures into <see cref="DeadLetterOperationException"/>s.</summary>
internal sealed class KafkaClients(KafkaConnectionSettings settings)
{
    private static readonly TimeSpan MetadataSlice = TimeSpan.FromMilliseconds(250);

    public KafkaConnectionSettings Settings { get; } = settings;

    public ClientErrors Errors { get; } = new();

    public IAdminClient CreateAdmin() => Guard(() =>
    {
        KafkaNativeLibrary.EnsureLoaded();
        return new AdminClientBuilder(Settings.CreateAdminConfig())
            .SetErrorHandler((_, e) => Errors.Record(e))
            .SetLogHandler((_, m) => Errors.Record(m))
            .Build();
    });

    /// <summary>A consumer used with Assign only: it never joins <paramref name="groupId"/> and commits only when told to.</summary>
    public IConsumer<byte[]?, byte[]?> CreateConsumer(string groupId) => Guard(() =>
    {
        KafkaNativeLibrary.EnsureLoaded();
        return new ConsumerBuilder<byte[]?, byte[]?>(Settings.CreateConsumerConfig(groupId))
            .SetKeyDeserializer(NullableBytes.Instance)
            .SetValueDeserializer(NullableBytes.Instance)
            .SetErrorHandler((_, e) => Errors.Record(e))
            .SetLogHandler((_, m) => Errors.Record(m))
            .Build();
    });

    public IProducer<byte[]?, byte[]?> CreateProducer() => Guard(() =>
    {
        KafkaNativeLibrary.EnsureLoaded();
        return new ProducerBuilder<byte[]?, byte[]?>(Settings.CreateProducerConfig())
            .SetKeySerializer(NullableBytes.Instance)
            .SetValueSerializer(NullableBytes.Instance)
            .SetErrorHandler((_, e) => Errors.Record(e))
            .SetLogHandler((_, m) => Errors.Record(m))
            .Build();
    });

    /// <summary>
    /// Metadata of every topic (never auto-creates one). Asks in short slices up to <see cref="KafkaConnectionSettings.Timeout"/>,
    /// and gives up at once when every broker refused the connection, could not be resolved or rejected the credentials.
    /// </summary>
    public Metadata GetMetadata(IAdminClient admin)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var left = Settings.Timeout - waited.Elapsed;
            KafkaException? failure = null;
            try
            {
                var metadata = admin.GetMetadata(left < MetadataSlice ? left : MetadataSlice);
                if (metadata.Brokers.Count > 0)
                {
                    return metadata;
                }
            }
            catch (KafkaException e)
            {
                failure = e;
            }

            if (Errors.Hopeless is not null)
            {
                throw Unreachable(failure, gaveUpEarly: true);
            }

            if (waited.Elapsed >= Settings.Timeout)
            {
                throw Unreachable(failure);
            }
        }
    }

    /// <summary>The topic's metadata, or a <see cref="DeadLetterErrorKind.TopicNotFound"/> error naming similar topics.</summary>
    public static TopicMetadata RequireTopic(Metadata metadata, string topic, string role)
    {
        var found = metadata.Topics.FirstOrDefault(t => string.Equals(t.Topic, topic, StringComparison.Ordinal));
        if (found is not null && !found.Error.IsError && found.Partitions.Count > 0)
        {
            return found;
        }

        var similar = metadata.Topics.Select(t => t.Topic)
            .Where(t => !t.StartsWith("__", StringComparison.Ordinal)
                && (t.Contains(topic, StringComparison.OrdinalIgnoreCase) || topic.Contains(t, StringComparison.OrdinalIgnoreCase)))
            .Order(StringComparer.Ordinal).Take(5).ToList();
        var hint = similar.Count > 0 ? $" Similar topics: {string.Join(", ", similar)}." : " Run 'kafka-dlt list' to see the dead-letter topics.";
        throw new DeadLetterOperationException(DeadLetterErrorKind.TopicNotFound, $"The {role} '{topic}' does not exist on {Describe(metadata)}.{hint}");
    }

    /// <summary>The brokers did not answer; the message carries the last client error (e.g. <c>Connection refused</c>), secrets masked.</summary>
    public DeadLetterOperationException Unreachable(Exception? cause, bool gaveUpEarly = false)
    {
        var reason = Errors.Last ?? cause?.Message ?? "no broker answered";
        reason = SecretRedaction.Scrub(reason, Settings.Properties);
        var when = gaveUpEarly ? string.Empty : $" within {Settings.Timeout.TotalSeconds:0.#} s";
        var fix = gaveUpEarly
            ? "Fix: check --bootstrap-servers (host names and ports) and the security settings (security.protocol, sasl.*, ssl.*)."
            : "Fix: check --bootstrap-servers, the network path and the security settings (security.protocol, sasl.*, ssl.*), or raise --timeout.";
        return new DeadLetterOperationException(DeadLetterErrorKind.BrokersUnreachable,
            $"Could not reach the Kafka brokers at {Settings.EffectiveBootstrapServers}{when} ({reason}). {fix}", cause);
    }

    private static string Describe(Metadata metadata) => $"the cluster ({metadata.Brokers.Count} broker(s))";

    private T Guard<T>(Func<T> create)
    {
        try
        {
            return create();
        }
        catch (ArgumentException e)
        {
            throw new DeadLetterOperationException(DeadLetterErrorKind.Configuration,
                $"Invalid client configuration: {SecretRedaction.Scrub(e.Message, Settings.Properties)} Fix: correct the property in the config file, -X flag or KAFKA_CLIENT_* variable.", e);
        }
        catch (InvalidOperationException e)
        {
            throw new DeadLetterOperationException(DeadLetterErrorKind.Configuration,
                $"Invalid client configuration: {SecretRedaction.Scrub(e.Message, Settings.Properties)}", e);
        }
    }

    private sealed class NullableBytes : ISerializer<byte[]?>, IDeserializer<byte[]?>
    {
        public static readonly NullableBytes Instance = new();

        public byte[]? Serialize(byte[]? data, SerializationContext context) => data;

        public byte[]? Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) => isNull ? null : data.ToArray();
    }
}
