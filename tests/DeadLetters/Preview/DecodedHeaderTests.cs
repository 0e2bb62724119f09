using System.Text;
using KafkaPipeline.DeadLetters.Preview;
using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.DeadLetters.Tests.Preview;

public sealed class DecodedHeaderTests
{
    [Theory]
    [InlineData("kafka_dlt-original-partition", new byte[] { 0, 0, 0, 5 }, "5")]
    [InlineData("kafka_dlt-original-offset", new byte[] { 0, 0, 0, 0, 0, 0, 1, 0 }, "256")]
    [InlineData("kafka_dlt-original-timestamp", new byte[] { 0, 0, 0x01, 0x8b, 0xcf, 0xe5, 0x68, 0x00 }, "1700000000000 (2023-11-14 22:13:20.000Z)")]
    [InlineData("kafka_dlt-replay-count", new byte[] { 0, 0, 0, 2 }, "2")]
    [InlineData("kafka_deliveryAttempt", new byte[] { 0, 0, 0, 3 }, "3")]
    [InlineData("trace", new byte[] { 0x61, 0x62 }, "ab")]
    [InlineData("binary", new byte[] { 0x00, 0xff }, "0x00ff")]
    public void Decode_KnownAndUnknownHeaders_UsesTheirEncodings(string name, byte[] value, string expected)
    {
        Assert.Equal(expected, DecodedHeader.Decode(new RecordHeader(name, value)).Value);
    }

    [Fact]
    public void Decode_NullValue_SaysNull()
    {
        Assert.Equal("(null)", DecodedHeader.Decode(new RecordHeader("x", null)).Value);
    }

    [Fact]
    public void Decode_SpringTextEncodedNumber_StillDecodes()
    {
        Assert.Equal("42", DecodedHeader.Decode(new RecordHeader("kafka_dlt-original-offset", Encoding.UTF8.GetBytes("42"))).Value);
    }
}
