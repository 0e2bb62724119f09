using System.Collections;
using System.ComponentModel;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace KafkaPipeline.Configuration;

/// <summary>
/// Checks a configuration section against the options type it is bound to, before binding: every key must name a
/// bindable property and every value must convert to the property's type. The binder drops what it cannot use (a bad
/// value under <c>Consumers:&lt;group&gt;</c> even drops the whole group); this reports it instead, one message per
/// problem with the full path and the fix.
/// </summary>
internal static class ConfigurationSchema
{
    /// <summary>
    /// Adds a message to <paramref name="errors"/> for each unknown key and each value that does not convert under
    /// <paramref name="section"/>. <paramref name="isForeign"/> names child sections another package reads
    /// (owner type, key), which are skipped here.
    /// </summary>
    public static void Check(IConfiguration section, Type type, string path, ICollection<string> errors, Func<Type, string, bool>? isForeign = null)
    {
        var properties = Bindable(type);
        foreach (var child in section.GetChildren())
        {
            var childPath = Join(path, child.Key);
            if (isForeign?.Invoke(type, child.Key) == true)
            {
                continue;
            }

            if (!properties.TryGetValue(child.Key, out var property))
            {
                errors.Add($"{childPath} is not a setting of {type.Name}. Fix: remove it or correct the name{Suggest(child.Key, properties.Keys)}.");
                continue;
            }

            if (property is null)
            {
                errors.Add($"{childPath} can only be set in code. Fix: remove it from configuration and set {type.Name}.{child.Key} in Program.cs.");
                continue;
            }

            CheckValue(child, property.PropertyType, childPath, errors, isForeign);
        }
    }

    private static void CheckValue(IConfigurationSection section, Type type, string path, ICollection<string> errors, Func<Type, string, bool>? isForeign)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (IsLeaf(target))
        {
            if (section.GetChildren().Any())
            {
                errors.Add($"{path} is a single value, but configuration gives it sub-keys ({string.Join(", ", section.GetChildren().Select(c => c.Key))}). Fix: give it one value.");
            }
            else if (section.Value is { Length: > 0 } value && !Converts(target, value))
            {
                errors.Add($"{path} '{value}' is not a valid {Describe(target)}. Fix: {HowTo(target)}.");
            }

            return;
        }

        if (section.Value is { Length: > 0 } && !section.GetChildren().Any())
        {
            errors.Add($"{path} is a section, but configuration gives it the value '{section.Value}'. Fix: set its keys (e.g. {path}:<key>).");
            return;
        }

        if (ElementType(target) is { } element)
        {
            foreach (var item in section.GetChildren())
            {
                CheckValue(item, element, Join(path, item.Key), errors, isForeign);
            }

            return;
        }

        Check(section, target, path, errors, isForeign);
    }

    /// <summary>Public properties the binder can set, by name (case-insensitive); null marks a code-only property.</summary>
    private static Dictionary<string, PropertyInfo?> Bindable(Type type)
    {
        var result = new Dictionary<string, PropertyInfo?>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetMethod is null)
            {
                continue;
            }

            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            var settable = property.SetMethod is { IsPublic: true } || !IsLeaf(target);
            result[property.Name] = settable && IsBindable(target) ? property : null;
        }

        return result;
    }

    private static bool IsBindable(Type type)
    {
        if (IsLeaf(type))
        {
            return true;
        }

        if (typeof(Delegate).IsAssignableFrom(type) || type.IsInterface || type.IsAbstract || type == typeof(Type) || !type.IsClass)
        {
            return false;
        }

        if (!typeof(IEnumerable).IsAssignableFrom(type))
        {
            return true;
        }

        return ElementType(type) is { } element && IsBindable(Nullable.GetUnderlyingType(element) ?? element);
    }

    /// <summary>The value type of a string-keyed dictionary or of a list; null for other types.</summary>
    private static Type? ElementType(Type type)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type) || !type.IsGenericType)
        {
            return null;
        }

        var arguments = type.GetGenericArguments();
        return arguments.Length switch
        {
            1 => arguments[0],
            2 when arguments[0] == typeof(string) => arguments[1],
            _ => null,
        };
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Uri) || type == typeof(Guid);

    private static bool Converts(Type type, string value)
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

    private static string Describe(Type type) => type.IsEnum ? type.Name : type == typeof(TimeSpan) ? "duration" : type.Name.ToLowerInvariant() switch
    {
        "int32" or "int64" or "int16" => "whole number",
        "double" or "single" or "decimal" => "number",
        "boolean" => "true/false value",
        var name => name,
    };

    private static string HowTo(Type type) =>
        type.IsEnum ? $"use one of {string.Join(", ", Enum.GetNames(type))}"
        : type == typeof(TimeSpan) ? "write a duration as [d.]hh:mm:ss[.fff], e.g. 00:00:05 for 5 s"
        : type == typeof(bool) ? "use true or false"
        : $"write a {Describe(type)}";

    private static string Suggest(string key, IEnumerable<string> known)
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

    private static string Join(string path, string key) => path.Length == 0 ? key : path + ":" + key;

    internal static string PathOf(IConfiguration configuration) =>
        configuration is IConfigurationSection section ? section.Path : string.Empty;
}
