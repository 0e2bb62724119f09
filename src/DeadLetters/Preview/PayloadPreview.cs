using System.Globalization;
using System.Text;
using System.Text.Json;
using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.DeadLetters.Preview;

/// <summary>A payload rendered for people: pretty JSON, UTF-8 text or a hex dump, cut at a size limit.</summary>
public sealed record PayloadPreview(PayloadFormat Format, string Text, int Length, bool Truncated)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Renders <paramref name="bytes"/>; <paramref name="maxBytes"/> bounds the bytes shown (hex) or characters (text, JSON).</summary>
    public static PayloadPreview Render(byte[]? bytes, PayloadFormat format = PayloadFormat.Auto, int maxBytes = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (bytes is null)
        {
            return new PayloadPreview(PayloadFormat.Text, "(null)", 0, false);
        }

        var text = DeadLetterRecord.TryUtf8(bytes);
        if (format is PayloadFormat.Auto or PayloadFormat.Json && text is not null && TryPrettyJson(text) is { } json)
        {
            return Cut(PayloadFormat.Json, json, bytes.Length, maxBytes);
        }

        if (format is PayloadFormat.Text || (format is PayloadFormat.Auto or PayloadFormat.Json && text is not null && IsPrintable(text)))
        {
            return Cut(PayloadFormat.Text, text ?? Encoding.UTF8.GetString(bytes), bytes.Length, maxBytes);
        }

        return new PayloadPreview(PayloadFormat.Hex, HexDump(bytes.AsSpan(0, Math.Min(bytes.Length, maxBytes))), bytes.Length, bytes.Length > maxBytes);
    }

    /// <summary>Classic 16-bytes-per-line dump with offsets and an ASCII column.</summary>
    public static string HexDump(ReadOnlySpan<byte> bytes)
    {
        var builder = new StringBuilder();
        for (var line = 0; line < bytes.Length; line += 16)
        {
            var chunk = bytes.Slice(line, Math.Min(16, bytes.Length - line));
            builder.Append(line.ToString("x8", CultureInfo.InvariantCulture)).Append("  ");
            for (var i = 0; i < 16; i++)
            {
                builder.Append(i < chunk.Length ? chunk[i].ToString("x2", CultureInfo.InvariantCulture) + " " : "   ");
                if (i == 7)
                {
                    builder.Append(' ');
                }
            }

            builder.Append(" |");
            foreach (var b in chunk)
            {
                builder.Append(b is >= 0x20 and < 0x7f ? (char)b : '.');
            }

            builder.Append('|');
            if (line + 16 < bytes.Length)
            {
                builder.Append('\n');
            }
        }

        return builder.ToString();
    }

    /// <summary>True when the text has no control characters but tab and line breaks.</summary>
    public static bool IsPrintable(string text) => text.All(c => !char.IsControl(c) || c is '\n' or '\r' or '\t');

    private static string? TryPrettyJson(string text)
    {
        var trimmed = text.AsSpan().TrimStart();
        if (trimmed.IsEmpty || trimmed[0] is not ('{' or '['))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            return JsonSerializer.Serialize(document.RootElement, Indented);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static PayloadPreview Cut(PayloadFormat format, string text, int length, int max) =>
        text.Length > max ? new PayloadPreview(format, text[..max], length, true) : new PayloadPreview(format, text, length, false);
}
