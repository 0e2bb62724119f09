using Confluent.Kafka;

namespace KafkaPipeline.RetryTopics.Tests;

public sealed class RetryTopicHeadersTests
{
    [Fact]
    public void EncodeAttempts_Two_IsFourByteBigEndianAsSpringPutInt() =>
        Assert.Equal(new byte[] { 0, 0, 0, 2 }, RetryTopicHeaders.EncodeAttempts(2));

    [Theory]
    [InlineData(1764601200000L, "019ada6d7d80")] // 2025-12-01T15:00Z: six bytes, as BigInteger.valueOf(ms).toByteArray()
    [InlineData(0L, "00")]
    [InlineData(127L, "7f")]
    [InlineData(128L, "0080")] // a leading zero keeps it positive (two's complement)
    [InlineData(-1L, "ff")]
    public void EncodeTimestamp_Value_IsJavaBigIntegerToByteArray(long value, string hex) =>
        Assert.Equal(Convert.FromHexString(hex), RetryTopicHeaders.EncodeTimestamp(value));

    [Theory]
    [InlineData(1764601200000L)]
    [InlineData(long.MaxValue)]
    [InlineData(1L)]
    public void DecodeTimestamp_Encoded_RoundTrips(long value) =>
        Assert.Equal(value, RetryTopicHeaders.DecodeTimestamp(RetryTopicHeaders.EncodeTimestamp(value)));

    [Fact]
    public void DecodeTimestamp_EightByteLong_ReadsLikeJavaBigInteger() =>
        Assert.Equal(1764601200000L, RetryTopicHeaders.DecodeTimestamp(Convert.FromHexString("0000019ada6d7d80")));

    [Theory]
    [InlineData("", null)]
    [InlineData("000000000000000001", null)] // nine bytes: not a long, ignored as spring-kafka 4 does
    public void DecodeTimestamp_WrongLength_IsNull(string hex, long? expected) =>
        Assert.Equal(expected, RetryTopicHeaders.DecodeTimestamp(Convert.FromHexString(hex)));

    [Theory]
    [InlineData("00000003", 3)]
    [InlineData("05", 5)] // one byte: older spring-kafka versions
    [InlineData("000003", 1)] // unexpected size
    [InlineData("00000000", 1)] // out of range
    [InlineData("ffffffff", 1)]
    public void DecodeAttempts_Bytes_ReadsAsSpring(string hex, int expected) =>
        Assert.Equal(expected, RetryTopicHeaders.DecodeAttempts(Convert.FromHexString(hex)));

    [Fact]
    public void OriginalTimestampOf_NoHeader_IsRecordTimestamp() =>
        Assert.Equal(42L, RetryTopicHeaders.OriginalTimestampOf([], new Timestamp(42, TimestampType.CreateTime)));

    [Fact]
    public void AttemptsOf_RepeatedHeader_ReadsLast()
    {
        var headers = new Headers { { RetryTopicHeaders.Attempts, RetryTopicHeaders.EncodeAttempts(2) }, { RetryTopicHeaders.Attempts, RetryTopicHeaders.EncodeAttempts(3) } };
        Assert.Equal(3, RetryTopicHeaders.AttemptsOf(headers));
    }
}
