using System.Globalization;
using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.Cli.Options;

/// <summary>Parses <c>--since</c>/<c>--until</c> values: an age (<c>90s</c>, <c>30m</c>, <c>2h</c>, <c>7d</c>, <c>1w</c>) or an ISO-8601 time (UTC unless it has an offset).</summary>
internal static class TimeInput
{
    /// <summary>An age or a time, resolved against <paramref name="now"/>.</summary>
    public static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset time)
    {
        if (AgeText.TryParse(text, out var age))
        {
            time = now - age;
            return true;
        }

        return TryParseTime(text, out time);
    }

    /// <summary>An ISO-8601 time (UTC unless it has an offset); false for an age.</summary>
    public static bool TryParseTime(string text, out DateTimeOffset time)
    {
        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);
    }
}
