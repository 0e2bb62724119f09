namespace KafkaPipeline.DeadLetters.Connection;

/// <summary>
/// Where connection settings come from, lowest precedence first: a librdkafka properties file, the environment, then
/// explicit values (command-line flags). See <see cref="ConnectionSettingsLoader"/>.
/// </summary>
public sealed record ConnectionSources
{
    /// <summary>Environment variable with the bootstrap servers.</summary>
    public const string BootstrapVariable = "KAFKA_BOOTSTRAP_SERVERS";

    /// <summary>Environment variable with the path of a properties file (used when <see cref="ConfigFile"/> is null).</summary>
    public const string ConfigFileVariable = "KAFKA_DLT_CONFIG";

    /// <summary>Prefix of environment variables holding one librdkafka property each: <c>KAFKA_CLIENT_SASL_PASSWORD</c> is <c>sasl.password</c>.</summary>
    public const string PropertyVariablePrefix = "KAFKA_CLIENT_";

    /// <summary>A librdkafka properties file (<c>key=value</c> lines, <c>#</c> comments, <c>${VAR}</c> expanded from the environment).</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Bootstrap servers given explicitly; they win over every other source.</summary>
    public string? BootstrapServers { get; init; }

    /// <summary><c>key=value</c> properties given explicitly (e.g. <c>-X sasl.mechanism=PLAIN</c>); they win over the file and the environment.</summary>
    public IReadOnlyList<string> Properties { get; init; } = [];

    /// <summary>Reads an environment variable; defaults to the process environment.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Lists the environment; used to find <see cref="PropertyVariablePrefix"/> variables.</summary>
    public Func<IEnumerable<string>> EnvironmentNames { get; init; } = static () =>
        System.Environment.GetEnvironmentVariables().Keys.Cast<string>();

    /// <summary>Timeout of each broker request; null for the default.</summary>
    public TimeSpan? Timeout { get; init; }
}
