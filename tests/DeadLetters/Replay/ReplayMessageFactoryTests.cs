using System.Text;
using KafkaPipeline.DeadLetters.Reading;
using KafkaPipeline.DeadLetters.Replay;
using KafkaPipeline.ErrorHandling.Recovery;

namespace KafkaPipeline.DeadLetters.Tests.Replay;

public sealed class ReplayMessageFactoryTests
{
    private static readonly DateTimeOffset Now = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static DeadLetterRecord Record(int replayCount) => new()
    {
        Topic = "orders-dlt",
        Partition = 2,
        Offset = 99,
        Key = Encoding.UTF8.GetBytes("k"),
        Value = Encoding.UTF8.GetBytes("v"),
        ReplayCount = replayCount,
        Headers =
        [
            new("app-a", [1]),
            new(DeadLetterHeaders.ExceptionFqcn, [2]),
            new(DeadLetterHeaders.OriginalTopic, Encoding.UTF8.GetBytes("orders")),
            new(ReplayHeaders.Count, DeadLetterHeaders.EncodeInt32(replayCount)),
            new("kafka_deliveryAttempt", [0, 0, 0, 4]),
            new(DeadLetterHeaders.KeyExceptionFqcn, [3]),
            new("app-b", null),
        ],
    };

    [Fact]
    public void Create_DeadLetter_KeepsKeyValueAndAppHeadersInOrderAndAddsReplayHeaders()
    {
        var message = ReplayMessageFactory.Create(Record(replayCount: 1), new ReplayRequest("orders-dlt"), Now);

        Assert.Equal("k", Encoding.UTF8.GetString(message.Key!));
        Assert.Equal("v", Encoding.UTF8.GetString(message.Value!));
        Assert.Equal(["app-a", "app-b", ReplayHeaders.Count, ReplayHeaders.Timestamp, ReplayHeaders.SourceTopic, ReplayHeaders.SourcePartition, ReplayHeaders.SourceOffset],
            message.Headers.Select(h => h.Key));
        Assert.Equal(2, ReplayHeaders.ReadCount(message.Headers));
        Assert.Equal(Now.ToUnixTimeMilliseconds(), DeadLetterHeaders.DecodeInt64(DeadLetterHeaders.Last(message.Headers, ReplayHeaders.Timestamp)));
        Assert.Equal(2, DeadLetterHeaders.DecodeInt32(DeadLetterHeaders.Last(message.Headers, ReplayHeaders.SourcePartition)));
        Assert.Equal(99L, DeadLetterHeaders.DecodeInt64(DeadLetterHeaders.Last(message.Headers, ReplayHeaders.SourceOffset)));
    }

    [Fact]
    public void Create_KeepOriginalHeaders_KeepsOriginalTopicHeader()
    {
        var message = ReplayMessageFactory.Create(Record(replayCount: 0), new ReplayRequest("orders-dlt") { KeepOriginalHeaders = true }, Now);

        Assert.Contains(message.Headers, h => h.Key == DeadLetterHeaders.OriginalTopic);
        Assert.DoesNotContain(message.Headers, h => h.Key == DeadLetterHeaders.ExceptionFqcn);
        Assert.Equal(1, ReplayHeaders.ReadCount(message.Headers));
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x01 })]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xfe })]
    [InlineData(new byte[] { 0x6e, 0x6f })]
    public void ReadCount_MalformedOrNegativeHeader_IsUnreadableNotZero(byte[] value)
    {
        var headers = new Confluent.Kafka.Headers { { ReplayHeaders.Count, value } };

        Assert.Equal(ReplayHeaders.Unreadable, ReplayHeaders.ReadCount(headers));
    }

    [Fact]
    public void Create_ForcedPastMalformedCount_WritesTheLoopGuardLimit()
    {
        var record = new DeadLetterRecord { Topic = "orders-dlt", Partition = 0, Offset = 1, ReplayCount = ReplayHeaders.Unreadable };

        var message = ReplayMessageFactory.Create(record, new ReplayRequest("orders-dlt") { Force = true, MaxReplays = 5 }, Now);

        Assert.True(record.ReplayCountMalformed);
        Assert.Equal(5, ReplayHeaders.ReadCount(message.Headers));
    }
}
