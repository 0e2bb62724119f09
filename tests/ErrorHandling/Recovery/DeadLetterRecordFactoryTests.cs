using System.Text;
using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.ErrorHandling.Tests.Support;
using KafkaPipeline.Serialization;

namespace KafkaPipeline.ErrorHandling.Tests.Recovery;

public sealed class DeadLetterRecordFactoryTests
{
    private static readonly DeadLetterPublishingOptions Defaults = new();

    [Fact]
    public void Create_FailedRecord_HeadersInSpringOrderWithSpringEncodings()
    {
        var headers = new Headers
        {
            { "trace-id", Encoding.UTF8.GetBytes("abc") },
            { "kafka_deliveryAttempt", [0x00, 0x00, 0x00, 0x03] },
        };
        var context = Records.Context(partition: 2, offset: 42, headers: headers);
        var exception = new PoisonException("outer", new TimeoutException("inner"));

        var message = DeadLetterRecordFactory.Create(context, exception, Defaults);

        Assert.Equal(
            Hex(
            [
                ("trace-id", Utf8("abc")),
                ("kafka_deliveryAttempt", [0x00, 0x00, 0x00, 0x03]),
                ("kafka_dlt-exception-fqcn", Utf8("KafkaPipeline.ErrorHandling.Tests.Support.PoisonException")),
                ("kafka_dlt-exception-cause-fqcn", Utf8("System.TimeoutException")),
                ("kafka_dlt-exception-message", Utf8("outer; inner")),
                ("kafka_dlt-exception-stacktrace", Utf8(exception.ToString())),
                ("kafka_dlt-original-topic", Utf8("orders")),
                ("kafka_dlt-original-partition", [0x00, 0x00, 0x00, 0x02]),
                ("kafka_dlt-original-offset", [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2A]),
                ("kafka_dlt-original-timestamp", [0x00, 0x00, 0x01, 0x8B, 0xCF, 0xE5, 0x68, 0x7B]),
                ("kafka_dlt-original-timestamp-type", Utf8("CreateTime")),
                ("kafka_dlt-original-consumer-group", Utf8("billing")),
            ]),
            Hex(Pairs(message.Headers)));
    }

    [Fact]
    public void Create_FailedRecord_KeepsOriginalKeyAndValueBytes()
    {
        byte[] key = [0x00, 0xFF, 0x10];
        byte[] value = [0xDE, 0xAD, 0xBE, 0xEF];
        var context = Records.Context(key: key, value: value);

        var message = DeadLetterRecordFactory.Create(context, new TransientException(), Defaults);

        Assert.Equal(key, message.Key);
        Assert.Equal(value, message.Value);
        Assert.Equal(Timestamp.Default, message.Timestamp);
    }

    [Fact]
    public void Create_DeserializationFailure_UsesItsRawBytes()
    {
        var malformed = Utf8("{\"id\": oops");
        var original = Records.Context(value: malformed, key: Utf8("k-7"));
        var failure = new DeserializationException("bad json", original, typeof(int), new FormatException("oops"));
        var context = Records.Context(value: Utf8("something else"), key: Utf8("other"));

        var message = DeadLetterRecordFactory.Create(context, new InvalidOperationException("wrapper", failure), Defaults);

        Assert.Equal(malformed, message.Value);
        Assert.Equal(Utf8("k-7"), message.Key);
    }

    [Fact]
    public void Create_TombstoneDeserializationFailure_KeepsNullValue()
    {
        var original = new ConsumeContext(Records.Record(value: null), Records.Services);
        original.Record.Message.Value = null;
        var failure = new DeserializationException("tombstone", original, typeof(int));

        var message = DeadLetterRecordFactory.Create(original, failure, Defaults);

        Assert.Null(message.Value);
    }

    [Fact]
    public void Create_RecordAlreadyDeadLettered_ReplacesExceptionHeadersAndAppendsOriginals()
    {
        var headers = new Headers
        {
            { "kafka_dlt-exception-fqcn", Utf8("Old.Exception") },
            { "kafka_dlt-exception-message", Utf8("old") },
            { "kafka_dlt-key-exception-fqcn", Utf8("Old.KeyException") },
            { "kafka_dlt-original-topic", Utf8("first-topic") },
            { "app", Utf8("x") },
        };

        var message = DeadLetterRecordFactory.Create(Records.Context(headers: headers), new TransientException("new"), Defaults);

        var keys = message.Headers.Select(h => h.Key).ToList();
        Assert.Equal(1, keys.Count(k => k == DeadLetterHeaders.ExceptionFqcn));
        Assert.Equal(1, keys.Count(k => k == DeadLetterHeaders.ExceptionMessage));
        Assert.DoesNotContain(DeadLetterHeaders.KeyExceptionFqcn, keys);
        Assert.Equal(Utf8("new"), message.Headers.GetLastBytes(DeadLetterHeaders.ExceptionMessage));
        Assert.Equal(["kafka_dlt-original-topic", "app"], keys.Take(2));
        Assert.Equal(Utf8("orders"), message.Headers.GetLastBytes(DeadLetterHeaders.OriginalTopic));
        Assert.Equal(2, keys.Count(k => k == DeadLetterHeaders.OriginalTopic));
    }

    [Fact]
    public void Create_StripDisabledAndAppendDisabled_KeepsOldExceptionHeadersAndFirstOriginals()
    {
        var headers = new Headers { { "kafka_dlt-exception-message", Utf8("old") }, { "kafka_dlt-original-topic", Utf8("first-topic") } };
        var options = new DeadLetterPublishingOptions { StripPreviousExceptionHeaders = false, AppendOriginalHeaders = false };

        var message = DeadLetterRecordFactory.Create(Records.Context(headers: headers), new TransientException("new"), options);

        Assert.Equal(2, message.Headers.Count(h => h.Key == DeadLetterHeaders.ExceptionMessage));
        Assert.Equal(Utf8("first-topic"), Assert.Single(message.Headers, h => h.Key == DeadLetterHeaders.OriginalTopic).GetValueBytes());
    }

    [Fact]
    public void Create_LongStackTrace_CutAtLimitAndMarked()
    {
        var options = new DeadLetterPublishingOptions { MaxExceptionHeaderBytes = 100 };
        var exception = new TransientException(new string('x', 500));

        var message = DeadLetterRecordFactory.Create(Records.Context(), exception, options);

        var trace = message.Headers.GetLastBytes(DeadLetterHeaders.ExceptionStacktrace);
        var text = message.Headers.GetLastBytes(DeadLetterHeaders.ExceptionMessage);
        Assert.Equal(100, trace.Length);
        Assert.Equal(100, text.Length);
        Assert.EndsWith(DeadLetterRecordFactory.TruncationMarker, Encoding.UTF8.GetString(trace), StringComparison.Ordinal);
        Assert.StartsWith(Encoding.UTF8.GetString(Utf8(exception.ToString()), 0, 85), Encoding.UTF8.GetString(trace), StringComparison.Ordinal);
    }

    [Fact]
    public void Limit_MultiByteCharacterAtCut_NeverSplitsIt()
    {
        var text = new string('a', 84) + "€€€€€€€€"; // '€' is 3 bytes in UTF-8; the cut at 85 falls inside the second one.

        var bytes = DeadLetterRecordFactory.Limit(text, 100);

        var decoded = Encoding.UTF8.GetString(bytes);
        Assert.Equal(new string('a', 84) + DeadLetterRecordFactory.TruncationMarker, decoded);
        Assert.True(bytes.Length <= 100);
    }

    [Fact]
    public void Limit_TextWithinLimit_Unchanged()
    {
        Assert.Equal(Utf8("short"), DeadLetterRecordFactory.Limit("short", 64));
    }

    [Fact]
    public void Create_LogAppendTimeAndNoGroup_EncodesTypeAndOmitsGroupHeader()
    {
        var record = Records.Record(timestamp: new Timestamp(5, TimestampType.LogAppendTime));
        var context = new ConsumeContext(record, Records.Services);

        var message = DeadLetterRecordFactory.Create(context, new TransientException(), Defaults);

        Assert.Equal(Utf8("LogAppendTime"), message.Headers.GetLastBytes(DeadLetterHeaders.OriginalTimestampType));
        Assert.False(message.Headers.TryGetLastBytes(DeadLetterHeaders.OriginalConsumerGroup, out _));
    }

    [Fact]
    public void Create_ExceptionWithoutCause_OmitsCauseHeaderAsSpringAndKeepsMessage()
    {
        var message = DeadLetterRecordFactory.Create(Records.Context(), new TransientException("only"), Defaults);

        Assert.False(message.Headers.TryGetLastBytes(DeadLetterHeaders.ExceptionCauseFqcn, out _));
        Assert.Equal(Utf8("only"), message.Headers.GetLastBytes(DeadLetterHeaders.ExceptionMessage));
        Assert.Equal(
            [DeadLetterHeaders.ExceptionFqcn, DeadLetterHeaders.ExceptionMessage, DeadLetterHeaders.ExceptionStacktrace],
            message.Headers.Select(h => h.Key).Where(DeadLetterHeaders.IsExceptionHeader));
    }

    [Fact]
    public void Create_NestedCauses_CauseHeaderIsTheDirectInnerExceptionAsSpring()
    {
        var exception = new PoisonException("outer", new InvalidOperationException("middle", new TimeoutException("inner")));

        var message = DeadLetterRecordFactory.Create(Records.Context(), exception, Defaults);

        Assert.Equal(Utf8("System.InvalidOperationException"), message.Headers.GetLastBytes(DeadLetterHeaders.ExceptionCauseFqcn));
        Assert.Equal(Utf8("outer; middle"), message.Headers.GetLastBytes(DeadLetterHeaders.ExceptionMessage));
    }

    [Theory]
    [InlineData(ExceptionCauseHeader.DirectCause, "System.InvalidOperationException", "outer; middle")]
    [InlineData(ExceptionCauseHeader.RootCause, "System.TimeoutException", "outer; inner")]
    [InlineData(ExceptionCauseHeader.ThrownException, "KafkaPipeline.ErrorHandling.Tests.Support.PoisonException", "outer")]
    public void Create_CauseHeaderOption_NamesThatExceptionAndAddsItsMessage(ExceptionCauseHeader mode, string cause, string text)
    {
        var exception = new PoisonException("outer", new InvalidOperationException("middle", new TimeoutException("inner")));

        var message = DeadLetterRecordFactory.Create(Records.Context(), exception, new DeadLetterPublishingOptions { ExceptionCauseHeader = mode });

        Assert.Equal(Utf8(cause), message.Headers.GetLastBytes(DeadLetterHeaders.ExceptionCauseFqcn));
        Assert.Equal(Utf8(text), message.Headers.GetLastBytes(DeadLetterHeaders.ExceptionMessage));
    }

    [Theory]
    [InlineData(ExceptionCauseHeader.RootCause)]
    [InlineData(ExceptionCauseHeader.ThrownException)]
    public void Create_NoInnerExceptionWithWrittenCauseOption_NamesTheThrownTypeAndKeepsMessage(ExceptionCauseHeader mode)
    {
        var message = DeadLetterRecordFactory.Create(Records.Context(), new TransientException("only"), new DeadLetterPublishingOptions { ExceptionCauseHeader = mode });

        Assert.Equal(Utf8(typeof(TransientException).FullName!), message.Headers.GetLastBytes(DeadLetterHeaders.ExceptionCauseFqcn));
        Assert.Equal(Utf8("only"), message.Headers.GetLastBytes(DeadLetterHeaders.ExceptionMessage));
    }

    [Fact]
    public void Validate_UndefinedCauseHeaderMode_NamesTheOptionAndTheFix()
    {
        var errors = new List<string>();

        new DeadLetterPublishingOptions { ExceptionCauseHeader = (ExceptionCauseHeader)7 }.Validate("Kafka:ErrorHandling:DeadLetter", errors);

        Assert.Contains(errors, e => e.Contains("ExceptionCauseHeader is 7", StringComparison.Ordinal) && e.Contains("Fix:", StringComparison.Ordinal));
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static List<string> Hex(List<(string Key, byte[] Value)> headers) => [.. headers.Select(h => $"{h.Key}={Convert.ToHexString(h.Value)}")];

    private static List<(string Key, byte[] Value)> Pairs(Headers headers) => [.. headers.Select(h => (h.Key, h.GetValueBytes()))];
}
