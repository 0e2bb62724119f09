using System.Globalization;

namespace KafkaPipeline.Cli.Output;

/// <summary>Small formatting helpers for people's output.</summary>
internal static class TextFormat
{
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";

    public static string Iso(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>One line, at most <paramref name="max"/> characters, marked with an ellipsis when cut.</summary>
    public static string Shorten(string? text, int max)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "-";
        }

        var line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= max ? line : line[..Math.Max(1, max - 1)] + "…";
    }

    /// <summary>The simple name of a full type name (<c>Shop.Orders.InvalidOrderException</c> → <c>InvalidOrderException</c>).</summary>
    public static string ShortType(string? type)
    {
        if (string.IsNullOrEmpty(type))
        {
            return "-";
        }

        var generic = type.IndexOf('`', StringComparison.Ordinal);
        var name = generic > 0 ? type[..generic] : type;
        var dot = Math.Max(name.LastIndexOf('.'), name.LastIndexOf('+'));
        return dot >= 0 && dot < name.Length - 1 ? name[(dot + 1)..] : name;
    }

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A replay count for people: <c>?</c> for a malformed <c>kafka_dlt-replay-count</c> header.</summary>
    public static string Replays(int count) =>
        count == DeadLetters.Replay.ReplayHeaders.Unreadable ? "? (malformed)" : count.ToString(CultureInfo.InvariantCulture);

    /// <summary>A replay count for JSON: null for a malformed header.</summary>
    public static int? ReplaysOrNull(int count) => count == DeadLetters.Replay.ReplayHeaders.Unreadable ? null : count;
}
