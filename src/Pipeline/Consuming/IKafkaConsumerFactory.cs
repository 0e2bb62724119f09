using Confluent.Kafka;
using KafkaPipeline.Native;

namespace KafkaPipeline.Consuming;

/// <summary>The rebalance, error, statistics and log callbacks a consumer engine gives its client.</summary>
internal sealed record ConsumerCallbacks(
    Action<List<TopicPartition>> Assigned,
    Action<List<TopicPartitionOffset>> Revoked,
    Action<List<TopicPartitionOffset>> Lost,
    Action<Error> Error,
    Action<string>? Statistics = null,
    Action<LogMessage>? Log = null);

/// <summary>Creates the Kafka client of a consumer (replaced by a scripted consumer in the engine's unit tests).</summary>
internal interface IKafkaConsumerFactory
{
    IConsumer<byte[]?, byte[]?> Create(ConsumerConfig config, ConsumerCallbacks callbacks);
}

/// <summary>Confluent's consumer with raw byte keys and values (null kept as null).</summary>
internal sealed class ConfluentConsumerFactory : IKafkaConsumerFactory
{
    public static readonly ConfluentConsumerFactory Instance = new();

    public IConsumer<byte[]?, byte[]?> Create(ConsumerConfig config, ConsumerCallbacks callbacks)
    {
        KafkaNativeLibrary.EnsureLoaded();
        var builder = new ConsumerBuilder<byte[]?, byte[]?>(config)
            .SetKeyDeserializer(NullableBytes.Instance)
            .SetValueDeserializer(NullableBytes.Instance)
            .SetPartitionsAssignedHandler((_, partitions) => callbacks.Assigned(partitions))
            .SetPartitionsRevokedHandler((_, partitions) => callbacks.Revoked(partitions))
            .SetPartitionsLostHandler((_, partitions) => callbacks.Lost(partitions))
            .SetErrorHandler((_, error) => callbacks.Error(error));
        if (callbacks.Statistics is { } statistics)
        {
            builder.SetStatisticsHandler((_, json) => statistics(json));
        }

        if (callbacks.Log is { } log)
        {
            builder.SetLogHandler((_, message) => log(message));
        }

        return builder.Build();
    }

    private sealed class NullableBytes : IDeserializer<byte[]?>
    {
        public static readonly NullableBytes Instance = new();

        public byte[]? Deserialize(ReadOnlySpan<byte> data, bool isNull, SerializationContext context) => isNull ? null : data.ToArray();
    }
}
