using System.Text;
using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.Recovery;

namespace KafkaPipeline.ErrorHandling.Tests.Recovery;

public sealed class DeadLetterHeadersTests
{
    [Fact]
    public void EncodeInt32_BigEndian()
    {
        Assert.Equal([0x00, 0x01, 0x11, 0x70], DeadLetterHeaders.EncodeInt32(70000));
    }

    [Fact]
    public void EncodeInt64_BigEndianTwosComplement()
    {
        Assert.Equal([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], DeadLetterHeaders.EncodeInt64(-1));
    }

    [Theory]
    [InlineData(TimestampType.CreateTime, "CreateTime")]
    [InlineData(TimestampType.LogAppendTime, "LogAppendTime")]
    [InlineData(TimestampType.NotAvailable, "NoTimestampType")]
    public void EncodeTimestampType_JavaNames(TimestampType type, string expected)
    {
        Assert.Equal(expected, Encoding.UTF8.GetString(DeadLetterHeaders.EncodeTimestampType(type)));
        Assert.Equal(type, DeadLetterHeaders.DecodeTimestampType(DeadLetterHeaders.EncodeTimestampType(type)));
    }

    [Fact]
    public void DecodeNumbers_OtherWidthsAndDecimalText_AreTolerated()
    {
        Assert.Equal(70000, DeadLetterHeaders.DecodeInt32([0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x11, 0x70]));
        Assert.Equal(70000L, DeadLetterHeaders.DecodeInt64([0x00, 0x01, 0x11, 0x70]));
        Assert.Equal(42L, DeadLetterHeaders.DecodeInt64(Encoding.UTF8.GetBytes("42")));
        Assert.Null(DeadLetterHeaders.DecodeInt64([0x01, 0x02]));
        Assert.Null(DeadLetterHeaders.DecodeInt32(DeadLetterHeaders.EncodeInt64(long.MaxValue)));
        Assert.Null(DeadLetterHeaders.DecodeInt32(null));
    }

    [Fact]
    public void Read_SpringProducedRecord_DecodesEveryHeader()
    {
        // As spring-kafka's DeadLetterPublishingRecoverer writes them (exception headers first, then the originals).
        var headers = new Headers
        {
            { "kafka_dlt-exception-fqcn", Encoding.UTF8.GetBytes("org.springframework.kafka.listener.ListenerExecutionFailedException") },
            { "kafka_dlt-exception-cause-fqcn", Encoding.UTF8.GetBytes("java.lang.IllegalStateException") },
            { "kafka_dlt-exception-message", Encoding.UTF8.GetBytes("Listener failed; boom") },
            { "kafka_dlt-exception-stacktrace", Encoding.UTF8.GetBytes("java.lang.IllegalStateException: boom\n\tat ...") },
            { "kafka_dlt-key-exception-fqcn", Encoding.UTF8.GetBytes("org.springframework.kafka.support.serializer.DeserializationException") },
            { "kafka_dlt-original-topic", Encoding.UTF8.GetBytes("orders") },
            { "kafka_dlt-original-partition", [0x00, 0x00, 0x00, 0x03] },
            { "kafka_dlt-original-offset", [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00] },
            { "kafka_dlt-original-timestamp", [0x00, 0x00, 0x01, 0x8B, 0xCF, 0xE5, 0x68, 0x7B] },
            { "kafka_dlt-original-timestamp-type", Encoding.UTF8.GetBytes("CreateTime") },
            { "kafka_dlt-original-consumer-group", Encoding.UTF8.GetBytes("billing") },
        };

        var info = DeadLetterHeaders.Read(headers);

        Assert.NotNull(info);
        Assert.Equal("orders", info.OriginalTopic);
        Assert.Equal(3, info.OriginalPartition);
        Assert.Equal(256, info.OriginalOffset);
        Assert.Equal(1_700_000_000_123, info.OriginalTimestampMs);
        Assert.Equal(TimestampType.CreateTime, info.OriginalTimestampType);
        Assert.Equal("billing", info.OriginalConsumerGroup);
        Assert.Equal("org.springframework.kafka.listener.ListenerExecutionFailedException", info.ExceptionType);
        Assert.Equal("java.lang.IllegalStateException", info.ExceptionCauseType);
        Assert.Equal("Listener failed; boom", info.ExceptionMessage);
        Assert.StartsWith("java.lang.IllegalStateException", info.ExceptionStackTrace, StringComparison.Ordinal);
        Assert.Equal("org.springframework.kafka.support.serializer.DeserializationException", info.KeyExceptionType);
    }

    [Fact]
    public void Read_HeadersRepeated_LastOccurrenceWins()
    {
        var headers = new Headers
        {
            { DeadLetterHeaders.OriginalTopic, Encoding.UTF8.GetBytes("first") },
            { DeadLetterHeaders.OriginalTopic, Encoding.UTF8.GetBytes("second") },
        };

        Assert.Equal("second", DeadLetterHeaders.Read(headers)!.OriginalTopic);
    }

    [Fact]
    public void Read_NoDeadLetterHeaders_Null()
    {
        Assert.Null(DeadLetterHeaders.Read([new Header("app", [1])]));
        Assert.Null(DeadLetterHeaders.Read(null));
    }

    [Theory]
    [InlineData("kafka_dlt-exception-message", true)]
    [InlineData("kafka_dlt-key-exception-stacktrace", true)]
    [InlineData("kafka_dlt-original-topic", false)]
    [InlineData("kafka_deliveryAttempt", false)]
    public void IsExceptionHeader_OnlyExceptionHeaders(string name, bool expected)
    {
        Assert.Equal(expected, DeadLetterHeaders.IsExceptionHeader(name));
    }
}
