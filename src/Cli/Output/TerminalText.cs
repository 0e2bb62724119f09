using System.Globalization;
using System.Text;

namespace KafkaPipeline.Cli.Output;

/// <summary>
/// Makes text from records (keys, values, headers, exception messages, topic names) safe to print on a terminal: a
/// producer must not be able to move the cursor, recolour, retitle or reorder an operator's screen. Every control
/// character (C0 including ESC and BEL, DEL, C1 including CSI) is shown as <c>\xNN</c>, and every invisible format
/// character (bidi overrides and isolates such as U+202E, zero-width characters, line and paragraph separators, lone
/// surrogates) as <c>\uNNNN</c>. Everything people see passes through here; <c>--json</c> output is escaped by the JSON writer.
/// </summary>
internal static class TerminalText
{
    /// <summary>One line: line breaks and tabs are escaped too.</summary>
    public static string Line(string? text) => Escape(text, keepLayout: false);

    /// <summary>Several lines: line breaks are kept (CR LF and lone CR become LF) and tabs become spaces; all else is escaped.</summary>
    public static string Block(string? text) => Escape(text, keepLayout: true);

    /// <summary><see cref="Line"/>, then escaped for Spectre markup.</summary>
    public static string Markup(string? text) => Spectre.Console.Markup.Escape(Line(text));

    /// <summary><see cref="Block"/>, then escaped for Spectre markup.</summary>
    public static string MarkupBlock(string? text) => Spectre.Console.Markup.Escape(Block(text));

    public static bool IsUnsafe(char c) =>
        char.IsControl(c)
        || char.IsSurrogate(c)
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    private static string Escape(string? text, bool keepLayout)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(IsUnsafe))
        {
            return text ?? string.Empty;
        }

        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]); // a valid pair (e.g. an emoji) is printable
            }
            else if (keepLayout && c == '\r')
            {
                builder.Append('\n');
                i += i + 1 < text.Length && text[i + 1] == '\n' ? 1 : 0;
            }
            else if (keepLayout && c is '\n')
            {
                builder.Append('\n');
            }
            else if (keepLayout && c is '\t')
            {
                builder.Append("    ");
            }
            else if (!IsUnsafe(c))
            {
                builder.Append(c);
            }
            else if (c <= '\u00ff')
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        return builder.ToString();
    }
}
