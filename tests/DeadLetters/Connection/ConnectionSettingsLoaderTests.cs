using KafkaPipeline.DeadLetters.Connection;

namespace KafkaPipeline.DeadLetters.Tests.Connection;

public sealed class ConnectionSettingsLoaderTests
{
    [Fact]
    public void Load_AllSources_FlagsWinOverEnvironmentWhichWinsOverFile()
    {
        var file = WriteFile("bootstrap.servers=file:1\nsecurity.protocol=SSL\nsasl.username=file-user\nclient.id=from-file\n");
        var environment = new Dictionary<string, string>
        {
            ["KAFKA_BOOTSTRAP_SERVERS"] = "env:2",
            ["KAFKA_CLIENT_SASL_USERNAME"] = "env-user",
            ["KAFKA_CLIENT_SECURITY_PROTOCOL"] = "SASL_SSL",
        };

        var settings = ConnectionSettingsLoader.Load(Sources(environment) with
        {
            ConfigFile = file,
            BootstrapServers = "flag:3",
            Properties = ["sasl.username=flag-user"],
        });

        Assert.Equal("flag:3", settings.EffectiveBootstrapServers);
        Assert.Equal("flag-user", settings.Properties["sasl.username"]);
        Assert.Equal("SASL_SSL", settings.Properties["security.protocol"]);
        Assert.Equal("from-file", settings.Properties["client.id"]);
    }

    [Fact]
    public void Load_EnvironmentBootstrapOnly_UsesIt()
    {
        var settings = ConnectionSettingsLoader.Load(Sources(new Dictionary<string, string> { ["KAFKA_BOOTSTRAP_SERVERS"] = "env:9092" }));

        Assert.Equal("env:9092", settings.EffectiveBootstrapServers);
    }

    [Fact]
    public void Load_ConfigFileFromEnvironmentVariable_ReadsIt()
    {
        var file = WriteFile("# comment\n! also a comment\n\nbootstrap.servers = spaced:1 \n");

        var settings = ConnectionSettingsLoader.Load(Sources(new Dictionary<string, string> { ["KAFKA_DLT_CONFIG"] = file }));

        Assert.Equal("spaced:1", settings.EffectiveBootstrapServers);
    }

    [Fact]
    public void ParseProperties_VariableReference_ExpandsFromEnvironment()
    {
        var pairs = ConnectionSettingsLoader.ParseProperties(new StringReader("sasl.password=${KAFKA_PW}\nx=a${B}c"), name => name switch { "KAFKA_PW" => "pw", "B" => "b", _ => null });

        Assert.Equal([new("sasl.password", "pw"), new KeyValuePair<string, string>("x", "abc")], pairs);
    }

    [Fact]
    public void ParseProperties_UnsetVariable_ThrowsNamingTheVariable()
    {
        var error = Assert.Throws<DeadLetterOperationException>(() =>
            ConnectionSettingsLoader.ParseProperties(new StringReader("sasl.password=${MISSING_PW}"), _ => null));

        Assert.Equal(DeadLetterErrorKind.Configuration, error.Kind);
        Assert.Contains("MISSING_PW", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseProperties_LineWithoutName_ThrowsWithoutEchoingTheLine()
    {
        var error = Assert.Throws<DeadLetterOperationException>(() =>
            ConnectionSettingsLoader.ParseProperties(new StringReader("ok=1\nhunter2-secret"), _ => null));

        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoBootstrapServers_ThrowsConfigurationNamingEverySource()
    {
        var error = Assert.Throws<DeadLetterOperationException>(() => new KafkaConnectionSettings().Validate());

        Assert.Equal(DeadLetterErrorKind.Configuration, error.Kind);
        Assert.Contains("--bootstrap-servers", error.Message, StringComparison.Ordinal);
        Assert.Contains("KAFKA_BOOTSTRAP_SERVERS", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateProducerConfig_UserAsksForWeakerAcks_AcksAllAndIdempotenceAreForced()
    {
        var settings = new KafkaConnectionSettings { BootstrapServers = "x:1" };
        settings.Properties["acks"] = "1";
        settings.Properties["enable.idempotence"] = "false";

        var config = settings.CreateProducerConfig();

        Assert.Equal(Confluent.Kafka.Acks.All, config.Acks);
        Assert.True(config.EnableIdempotence);
        Assert.Equal(30_000, config.MessageTimeoutMs);
    }

    [Fact]
    public void CreateConsumerConfig_Always_NeverCommitsByItself()
    {
        var config = new KafkaConnectionSettings { BootstrapServers = "x:1" }.CreateConsumerConfig("g");

        Assert.False(config.EnableAutoCommit);
        Assert.False(config.EnableAutoOffsetStore);
        Assert.Equal("g", config.GroupId);
    }

    private static ConnectionSources Sources(Dictionary<string, string> environment) => new()
    {
        Environment = name => environment.TryGetValue(name, out var value) ? value : null,
        EnvironmentNames = () => environment.Keys,
    };

    private static string WriteFile(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kafka-dlt-test-{Guid.NewGuid():N}.properties");
        File.WriteAllText(path, text);
        return path;
    }
}
