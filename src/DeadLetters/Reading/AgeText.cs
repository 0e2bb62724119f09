using System.Globalization;

namespace KafkaPipeline.DeadLetters.Reading;

/// <summary>Ages as people write them: <c>90s</c>, <c>30m</c>, <c>2h</c>, <c>7d</c>, <c>1w</c> (a week is 7 days).</summary>
public static class AgeText
{
    /// <summary>Parses an age; false for anything else (e.g. an ISO time).</summary>
    public static bool TryParse(string? text, out TimeSpan age)
    {
        age = default;
        text = text?.Trim();
        if (text is not { Length: >= 2 } || !char.IsAsciiLetter(text[^1])
            || !double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        TimeSpan? parsed = char.ToLowerInvariant(text[^1]) switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            'w' => TimeSpan.FromDays(7 * amount),
            _ => null,
        };
        age = parsed ?? default;
        return parsed is not null;
    }

    /// <summary>One canonical spelling per age, in the largest whole unit (<c>7d</c> for <c>1w</c>, <c>2m</c> for <c>120s</c>), so equal ages describe alike.</summary>
    public static string Format(TimeSpan age)
    {
        foreach (var (unit, suffix) in new[] { (TimeSpan.FromDays(1), "d"), (TimeSpan.FromHours(1), "h"), (TimeSpan.FromMinutes(1), "m") })
        {
            if (age >= unit && age.Ticks % unit.Ticks == 0)
            {
                return (age.Ticks / unit.Ticks).ToString(CultureInfo.InvariantCulture) + suffix;
            }
        }

        return age.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
    }
}
