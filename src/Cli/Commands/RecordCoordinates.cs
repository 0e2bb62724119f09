using System.Globalization;

namespace KafkaPipeline.Cli.Commands;

/// <summary>Parses <c>--show</c>'s <c>partition@offset</c> (or <c>partition:offset</c>), as printed in the first column of <c>inspect</c>.</summary>
internal static class RecordCoordinates
{
    public static bool TryParse(string? text, out int partition, out long offset)
    {
        partition = 0;
        offset = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Split('@', ':');
        return parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out partition)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }
}
