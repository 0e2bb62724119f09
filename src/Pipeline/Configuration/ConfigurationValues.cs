using System.ComponentModel;

namespace KafkaPipeline.Configuration;

/// <summary>Whether a configuration value converts to a setting's type, and the words of the messages when it does not.</summary>
internal static class ConfigurationValues
{
    public static bool Converts(Type type, string value)
    {
        if (type.IsEnum)
        {
            return Enum.TryParse(type, value, ignoreCase: true, out var parsed) && Enum.IsDefined(type, parsed!);
        }

        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException or OverflowException)
        {
            return false;
        }
    }

    public static string Describe(Type type) => type.IsEnum ? type.Name : type == typeof(TimeSpan) ? "duration" : type.Name.ToLowerInvariant() switch
    {
        "int32" or "int64" or "int16" => "whole number",
        "double" or "single" or "decimal" => "number",
        "boolean" => "true/false value",
        var name => name,
    };

    public static string HowTo(Type type) =>
        type.IsEnum ? $"use one of {string.Join(", ", Enum.GetNames(type))}"
        : type == typeof(TimeSpan) ? "write a duration as [d.]hh:mm:ss[.fff], e.g. 00:00:05 for 5 s"
        : type == typeof(bool) ? "use true or false"
        : $"write a {Describe(type)}";

    public static string Suggest(string key, IEnumerable<string> known)
    {
        var names = known.Order(StringComparer.Ordinal).ToList();
        var close = names.FirstOrDefault(n => Distance(n.ToUpperInvariant(), key.ToUpperInvariant()) <= 2
            || n.StartsWith(key, StringComparison.OrdinalIgnoreCase) || key.StartsWith(n, StringComparison.OrdinalIgnoreCase));
        var list = string.Join(", ", names);
        return close is null ? $" (known: {list})" : $" (did you mean '{close}'? known: {list})";
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
