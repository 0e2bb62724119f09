using System.Text;
using System.Text.RegularExpressions;

namespace KafkaPipeline.DeadLetters.Connection;

/// <summary>Builds <see cref="KafkaConnectionSettings"/> from a properties file, the environment and explicit values, in that order of precedence (last wins).</summary>
public static partial class ConnectionSettingsLoader
{
    /// <summary>Reads the connection settings from <paramref name="sources"/> (properties file, environment, command-line values, in that order of precedence from low to high).</summary>
    public static KafkaConnectionSettings Load(ConnectionSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var settings = new KafkaConnectionSettings();
        var file = sources.ConfigFile ?? NullIfEmpty(sources.Environment(ConnectionSources.ConfigFileVariable));
        if (file is not null)
        {
            foreach (var (key, value) in ReadFile(file, sources.Environment))
            {
                settings.Properties[key] = value;
            }
        }

        foreach (var name in sources.EnvironmentNames().Where(n => n.StartsWith(ConnectionSources.PropertyVariablePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            if (sources.Environment(name) is { } value)
            {
                settings.Properties[name[ConnectionSources.PropertyVariablePrefix.Length..].ToLowerInvariant().Replace('_', '.')] = value;
            }
        }

        if (NullIfEmpty(sources.Environment(ConnectionSources.BootstrapVariable)) is { } envBootstrap)
        {
            settings.Properties["bootstrap.servers"] = envBootstrap;
        }

        foreach (var property in sources.Properties)
        {
            var (key, value) = ParsePair(property, "-X/--property");
            settings.Properties[key] = value;
        }

        settings.BootstrapServers = NullIfEmpty(sources.BootstrapServers);
        if (sources.Timeout is { } timeout)
        {
            settings.Timeout = timeout;
        }

        return settings;
    }

    /// <summary>Parses a librdkafka/Java-style properties text; <c>${VAR}</c> is replaced from <paramref name="environment"/>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseProperties(TextReader reader, Func<string, string?> environment, string source = "config file")
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(environment);
        var result = new List<KeyValuePair<string, string>>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed[0] is '#' or '!')
            {
                continue;
            }

            var (key, value) = ParsePair(trimmed, $"{source} line {number}");
            result.Add(new(key, Expand(value, environment, $"{source} line {number}")));
        }

        return result;
    }

    private static IReadOnlyList<KeyValuePair<string, string>> ReadFile(string path, Func<string, string?> environment)
    {
        try
        {
            using var reader = new StreamReader(path, Encoding.UTF8);
            return ParseProperties(reader, environment, $"config file '{path}'");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DeadLetterOperationException(DeadLetterErrorKind.Configuration,
                $"Cannot read the config file '{path}': {e.Message} Fix: pass an existing librdkafka properties file with --config (or {ConnectionSources.ConfigFileVariable}).", e);
        }
    }

    // The text is never echoed: a malformed line may hold a secret.
    private static (string Key, string Value) ParsePair(string text, string where)
    {
        var separator = text.IndexOf('=', StringComparison.Ordinal);
        if (separator <= 0 || text[..separator].Trim().Length == 0)
        {
            throw new DeadLetterOperationException(DeadLetterErrorKind.Configuration,
                $"{where}: expected 'name=value' (a librdkafka property such as security.protocol=SASL_SSL); the line has no name before '='.");
        }

        return (text[..separator].Trim(), text[(separator + 1)..].Trim());
    }

    private static string Expand(string value, Func<string, string?> environment, string where) =>
        VariablePattern().Replace(value, match => environment(match.Groups[1].Value)
            ?? throw new DeadLetterOperationException(DeadLetterErrorKind.Configuration,
                $"{where}: environment variable '{match.Groups[1].Value}' is not set. Fix: export it or write the value in the file."));

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex VariablePattern();
}
