using System.Globalization;
using KafkaPipeline.Consuming;
using KafkaPipeline.DeadLetters.Reading;
using KafkaPipeline.DeadLetters.Replay;
using KafkaPipeline.ErrorHandling.Recovery;

namespace KafkaPipeline.DeadLetters.Preview;

/// <summary>A header with its value decoded for people: dead-letter and replay headers by their encodings, others as text or hex.</summary>
public sealed record DecodedHeader(string Name, string Value)
{
    private static readonly HashSet<string> Int32Headers = new(StringComparer.Ordinal)
    {
        DeadLetterHeaders.OriginalPartition, ReplayHeaders.Count, ReplayHeaders.SourcePartition, DeliveryAttemptHeader.Name,
    };

    private static readonly HashSet<string> Int64Headers = new(StringComparer.Ordinal)
    {
        DeadLetterHeaders.OriginalOffset, ReplayHeaders.SourceOffset,
    };

    private static readonly HashSet<string> TimeHeaders = new(StringComparer.Ordinal)
    {
        DeadLetterHeaders.OriginalTimestamp, ReplayHeaders.Timestamp,
    };

    /// <summary>Decodes <paramref name="header"/> for display: numbers and timestamps of known headers as numbers, other values as text or hex.</summary>
    public static DecodedHeader Decode(RecordHeader header)
    {
        var value = header.Value;
        if (value is null)
        {
            return new DecodedHeader(header.Name, "(null)");
        }

        if (Int32Headers.Contains(header.Name) && DeadLetterHeaders.DecodeInt32(value) is { } i)
        {
            return new DecodedHeader(header.Name, i.ToString(CultureInfo.InvariantCulture));
        }

        if (Int64Headers.Contains(header.Name) && DeadLetterHeaders.DecodeInt64(value) is { } l)
        {
            return new DecodedHeader(header.Name, l.ToString(CultureInfo.InvariantCulture));
        }

        if (TimeHeaders.Contains(header.Name) && DeadLetterHeaders.DecodeInt64(value) is { } ms)
        {
            var time = ms is >= -62135596800000 and <= 253402300799999
                ? " (" + DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) + ")"
                : string.Empty;
            return new DecodedHeader(header.Name, ms.ToString(CultureInfo.InvariantCulture) + time);
        }

        return DeadLetterRecord.TryUtf8(value) is { } text && PayloadPreview.IsPrintable(text)
            ? new DecodedHeader(header.Name, text)
            : new DecodedHeader(header.Name, "0x" + Convert.ToHexStringLower(value));
    }
}
