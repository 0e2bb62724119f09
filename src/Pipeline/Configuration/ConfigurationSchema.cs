using System.Collections;
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
                errors.Add($"{childPath} is not a setting of {type.Name}. Fix: remove it or correct the name{ConfigurationValues.Suggest(child.Key, properties.Keys)}.");
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
            else if (section.Value is { Length: > 0 } value && !ConfigurationValues.Converts(target, value))
            {
                errors.Add($"{path} '{value}' is not a valid {ConfigurationValues.Describe(target)}. Fix: {ConfigurationValues.HowTo(target)}.");
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

    /// <summary>The value type of a string-keyed dictionary, a list or an array; null for other types.</summary>
    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

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

    private static string Join(string path, string key) => path.Length == 0 ? key : path + ":" + key;

    internal static string PathOf(IConfiguration configuration) =>
        configuration is IConfigurationSection section ? section.Path : string.Empty;
}
