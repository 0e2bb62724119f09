using System.CommandLine;
using KafkaPipeline.DeadLetters.Connection;

namespace KafkaPipeline.Cli.Options;

/// <summary>Options every command takes: how to reach Kafka (flags win over the environment, which wins over the config file).</summary>
internal sealed class ConnectionOptions
{
    public Option<string?> BootstrapServers { get; } = new("--bootstrap-servers", "-b")
    {
        Description = $"Kafka brokers, host:port[,host:port]. Default: ${ConnectionSources.BootstrapVariable}, or bootstrap.servers in the config file.",
        Recursive = true,
    };

    public Option<FileInfo?> Config { get; } = new("--config", "-c")
    {
        Description = $"librdkafka properties file (key=value lines; SASL/SSL settings pass through; ${{VAR}} expanded). Default: ${ConnectionSources.ConfigFileVariable}.",
        Recursive = true,
    };

    public Option<string[]> Properties { get; } = new("--property", "-X")
    {
        Description = "A librdkafka property, name=value (repeatable), e.g. -X security.protocol=SASL_SSL. Also KAFKA_CLIENT_<NAME> variables.",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<double> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds to wait for brokers, metadata and records before giving up.",
        DefaultValueFactory = _ => 10,
        Recursive = true,
    };

    public Option<bool> EmbeddedDemo { get; } = new("--embedded-demo")
    {
        Description = "Start an embedded Kafka cluster with a demo pipeline whose failures fill 'orders-dlt', and run the command against it.",
        Recursive = true,
    };

    public ConnectionOptions()
    {
        Timeout.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double>() is var seconds && (seconds <= 0 || seconds > 3600 || double.IsNaN(seconds)))
            {
                result.AddError("--timeout must be between 0 and 3600 seconds.");
            }
        });
    }

    public void AddTo(Command root)
    {
        root.Options.Add(BootstrapServers);
        root.Options.Add(Config);
        root.Options.Add(Properties);
        root.Options.Add(Timeout);
        root.Options.Add(EmbeddedDemo);
    }

    /// <summary>The settings in effect; against the embedded demo cluster, files and environment are ignored (it needs no security).</summary>
    public KafkaConnectionSettings Resolve(ParseResult parse, CliConsole console, string? demoBootstrap)
    {
        var timeout = TimeSpan.FromSeconds(parse.GetValue(Timeout));
        if (demoBootstrap is not null)
        {
            return new KafkaConnectionSettings { BootstrapServers = demoBootstrap, Timeout = timeout };
        }

        return ConnectionSettingsLoader.Load(new ConnectionSources
        {
            ConfigFile = parse.GetValue(Config)?.FullName,
            BootstrapServers = parse.GetValue(BootstrapServers),
            Properties = parse.GetValue(Properties) ?? [],
            Environment = console.Environment,
            EnvironmentNames = console.EnvironmentNames,
            Timeout = timeout,
        });
    }
}
