using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.Tests;

internal static class TestRecords
{
    public static ConsumeResult<byte[]?, byte[]?> Record(string topic = "orders", int partition = 0, long offset = 0, string? value = "{}", Headers? headers = null) =>
        new()
        {
            Topic = topic,
            Partition = partition,
            Offset = offset,
            Message = new Message<byte[]?, byte[]?>
            {
                Key = Encoding.UTF8.GetBytes("k"),
                Value = value is null ? null : Encoding.UTF8.GetBytes(value),
                Headers = headers ?? [],
                Timestamp = new Timestamp(DateTime.UnixEpoch.AddDays(1), TimestampType.CreateTime),
            },
        };

    public static ConsumeContext Context(string topic = "orders", long offset = 0, string? value = "{}", Headers? headers = null, IServiceProvider? services = null) =>
        new(Record(topic, 0, offset, value, headers), services ?? new ServiceCollection().BuildServiceProvider()) { GroupId = "g" };
}
