using KafkaPipeline.Cli;
using KafkaPipeline.DeadLetters.Tests.Reading;
using KafkaPipeline.DeadLetters.Tests.Support;

namespace KafkaPipeline.DeadLetters.Tests.Cli;

/// <summary>Command-line mistakes end with a clear message and the documented exit code, before touching Kafka.</summary>
public sealed class CliParsingTests
{
    [Theory]
    [InlineData("frobnicate")]
    [InlineData("list", "--bogus")]
    [InlineData("inspect")]
    [InlineData("inspect", "orders-dlt", "--show", "zero@one")]
    [InlineData("inspect", "orders-dlt", "--limit", "-1")]
    [InlineData("inspect", "orders-dlt", "--since", "yesterday-ish")]
    [InlineData("inspect", "orders-dlt", "--from-offset", "9", "--to-offset", "3")]
    [InlineData("inspect", "orders-dlt", "--partition", "-2")]
    [InlineData("replay", "orders-dlt", "--rate", "0")]
    [InlineData("replay", "orders-dlt", "--max-replays", "0")]
    [InlineData("replay", "orders-dlt", "--batch-size", "0")]
    [InlineData("replay", "orders-dlt", "--partitioning", "random")]
    [InlineData("list", "--timeout", "0")]
    public async Task Run_BadCommandLine_ReturnsUsageWithMessage(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("error:", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--help", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Help_NamesTheToolCommandAndExitsZero()
    {
        var result = await CliRunner.RunAsync("replay", "--help");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("kafka-dlt replay <topic> [options]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("--dry-run", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoBootstrapServers_ReturnsConnectionErrorNamingTheFix()
    {
        var result = await CliRunner.RunAsync("list");

        Assert.Equal(ExitCodes.Connection, result.ExitCode);
        Assert.Contains("KAFKA_BOOTSTRAP_SERVERS", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnreachableBroker_ReturnsConnectionErrorQuickly()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var result = await CliRunner.RunAsync("list", "-b", $"127.0.0.1:{DeadLetterClientReadTests.ClosedPort()}", "--timeout", "2");

        Assert.Equal(ExitCodes.Connection, result.ExitCode);
        Assert.Contains("Could not reach the Kafka brokers", result.Stderr, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Run_ConnectionRefused_ExitsWithTheCauseLongBeforeTheTimeout()
    {
        var run = CliRunner.RunAsync("list", "-b", $"127.0.0.1:{DeadLetterClientReadTests.ClosedPort()}", "--timeout", "120");

        var result = await run.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(ExitCodes.Connection, result.ExitCode);
        Assert.Contains("Connection refused", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingConfigFile_ReturnsConnectionErrorNamingTheFile()
    {
        var result = await CliRunner.RunAsync("list", "--config", "/nonexistent/kafka.properties");

        Assert.Equal(ExitCodes.Connection, result.ExitCode);
        Assert.Contains("/nonexistent/kafka.properties", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ConfigWithSecretsFromFileEnvironmentAndFlags_NeverPrintsSecrets()
    {
        var file = Path.Combine(Path.GetTempPath(), $"kafka-dlt-{Guid.NewGuid():N}.properties");
        await File.WriteAllTextAsync(file, "bootstrap.servers=file:9092\nsecurity.protocol=SASL_SSL\nsasl.mechanism=PLAIN\nsasl.username=svc\nsasl.password=${PW}\nssl.key.password=keypass-42\n");
        try
        {
            var environment = new Dictionary<string, string> { ["PW"] = "file-secret-1", ["KAFKA_CLIENT_SASL_OAUTHBEARER_CLIENT_SECRET"] = "env-secret-2" };

            var result = await CliRunner.RunWithEnvironmentAsync(environment, "config", "--config", file, "-X", "sasl.username=flag-user", "--json");

            Assert.Equal(ExitCodes.Success, result.ExitCode);
            var all = result.Stdout + result.Stderr;
            Assert.DoesNotContain("file-secret-1", all, StringComparison.Ordinal);
            Assert.DoesNotContain("env-secret-2", all, StringComparison.Ordinal);
            Assert.DoesNotContain("keypass-42", all, StringComparison.Ordinal);
            Assert.Contains("\"sasl.password\":\"********\"", result.Stdout, StringComparison.Ordinal);
            Assert.Contains("\"sasl.oauthbearer.client.secret\":\"********\"", result.Stdout, StringComparison.Ordinal);
            Assert.Contains("\"sasl.username\":\"flag-user\"", result.Stdout, StringComparison.Ordinal);
            Assert.Contains("\"bootstrap.servers\":\"file:9092\"", result.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
