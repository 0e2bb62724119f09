using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.Tests.Support;

/// <summary>
/// Records and contexts as the poll loop builds them: key <c>k</c>, value <c>{}</c>, CreateTime one day after the Unix
/// epoch and group <c>g</c> unless given.
/// </summary>
public static class TestRecords
{
    public static ConsumeResult<byte[]?, byte[]?> Record(
        string topic = "orders", int partition = 0, long offset = 0, string? value = "{}", Headers? headers = null, Timestamp? timestamp = null) =>
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
                Timestamp = timestamp ?? new Timestamp(DateTime.UnixEpoch.AddDays(1), TimestampType.CreateTime),
            },
        };

    public static ConsumeContext Context(
        string topic = "orders",
        long offset = 0,
        string? value = "{}",
        Headers? headers = null,
        IServiceProvider? services = null,
        string group = "g",
        Timestamp? timestamp = null) =>
        new(Record(topic, 0, offset, value, headers, timestamp), services ?? new ServiceCollection().BuildServiceProvider()) { GroupId = group };

    /// <summary>
    /// A context whose record carries a <c>message-id</c> header of <paramref name="messageId"/> (none when null), as
    /// deduplication reads it, and no timestamp (0), so a key built from coordinates ends in <c>|0</c>.
    /// </summary>
    public static ConsumeContext WithMessageId(string? messageId, long offset = 5, string group = "g", string topic = "orders") =>
        Context(
            topic,
            offset,
            headers: messageId is null ? [] : new Headers { { "message-id", Encoding.UTF8.GetBytes(messageId) } },
            group: group,
            timestamp: Timestamp.Default);
}
