using System.Buffers.Text;
using System.Globalization;

namespace KafkaPipeline.Consuming;

/// <summary>
/// The commit metadata that carries a partition's records finished above its watermark (Parallel Consumer's idea):
/// <c>kp1:&lt;watermark&gt;:&lt;gaps&gt;</c>, where the gaps between the watermark and each finished offset, in ascending
/// order, are unsigned LEB128 varints in URL-safe base64. The watermark is repeated so that metadata left beside an
/// offset that someone else moved (an offset reset tool) is ignored rather than misread. Anything else (another
/// library's metadata, a truncated value) decodes to nothing: those records are then simply handled again.
/// </summary>
internal static class FinishedOffsetsCodec
{
    /// <summary>Kafka brokers refuse commit metadata above <c>offset.metadata.max.bytes</c> (default 4,096).</summary>
    public const int DefaultMaxChars = 4_000;

    private const string Prefix = "kp1:";

    /// <summary>
    /// The metadata for <paramref name="watermark"/> and the ascending <paramref name="finished"/> offsets above it, at most
    /// <paramref name="maxChars"/> characters (the lowest offsets are kept when they do not all fit); null when none.
    /// </summary>
    public static string? Encode(long watermark, IEnumerable<long> finished, int maxChars = DefaultMaxChars)
    {
        var header = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{watermark}:");
        var budget = Base64Url.GetMaxDecodedLength(Math.Max(0, maxChars - header.Length)); // bytes whose base64 fits
        var bytes = new List<byte>(64);
        var previous = watermark;
        Span<byte> varint = stackalloc byte[10];
        foreach (var offset in finished)
        {
            if (offset <= previous)
            {
                throw new ArgumentException($"Finished offsets must ascend above the watermark {watermark}; {offset} follows {previous}.", nameof(finished));
            }

            var length = WriteVarint(varint, (ulong)(offset - previous));
            if (bytes.Count + length > budget)
            {
                break;
            }

            for (var i = 0; i < length; i++)
            {
                bytes.Add(varint[i]);
            }

            previous = offset;
        }

        return bytes.Count == 0 ? null : header + Base64Url.EncodeToString([.. bytes]);
    }

    /// <summary>The finished offsets recorded beside the committed <paramref name="watermark"/>, ascending; empty when <paramref name="metadata"/> is not ours or does not belong to it.</summary>
    public static long[] Decode(string? metadata, long watermark)
    {
        if (metadata is null || !metadata.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return [];
        }

        var colon = metadata.IndexOf(':', Prefix.Length);
        if (colon < 0
            || !long.TryParse(metadata.AsSpan(Prefix.Length, colon - Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var recorded)
            || recorded != watermark)
        {
            return [];
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(metadata.AsSpan(colon + 1));
        }
        catch (FormatException)
        {
            return [];
        }

        var offsets = new List<long>();
        var previous = watermark;
        var position = 0;
        while (position < bytes.Length)
        {
            if (!TryReadVarint(bytes, ref position, out var gap) || gap == 0 || gap > long.MaxValue - (ulong)previous)
            {
                return []; // damaged: trust none of it
            }

            previous += (long)gap;
            offsets.Add(previous);
        }

        return [.. offsets];
    }

    private static int WriteVarint(Span<byte> target, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            target[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        target[i++] = (byte)value;
        return i;
    }

    private static bool TryReadVarint(byte[] source, ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && position < source.Length; shift += 7)
        {
            var b = source[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}
