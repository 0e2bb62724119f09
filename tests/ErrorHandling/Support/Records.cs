using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.ErrorHandling.Tests.Support;

/// <summary>Builds records and contexts the way the poll loop does.</summary>
internal static class Records
{
    public static readonly IServiceProvider Services = new ServiceCollection().BuildServiceProvider();

    public static ConsumeResult<byte[]?, byte[]?> Record(
        string topic = "orders",
        int partition = 0,
        long offset = 0,
        byte[]? key = null,
        byte[]? value = null,
        Headers? headers = null,
        Timestamp? timestamp = null) =>
        new()
        {
            Topic = topic,
            Partition = partition,
            Offset = offset,
            Message = new Message<byte[]?, byte[]?>
            {
                Key = key ?? Encoding.UTF8.GetBytes("key-1"),
                Value = value ?? Encoding.UTF8.GetBytes("{\"id\":1}"),
                Headers = headers ?? [],
                Timestamp = timestamp ?? new Timestamp(1_700_000_000_123, TimestampType.CreateTime),
            },
        };

    public static ConsumeContext Context(
        string topic = "orders",
        int partition = 0,
        long offset = 0,
        int attempt = 1,
        string groupId = "billing",
        Headers? headers = null,
        byte[]? key = null,
        byte[]? value = null,
        CancellationToken cancellationToken = default) =>
        new(Record(topic, partition, offset, key, value, headers), Services, cancellationToken) { GroupId = groupId, DeliveryAttempt = attempt };
}
