using KafkaPipeline.Cli;
using KafkaPipeline.DeadLetters.Tests.Support;

namespace KafkaPipeline.DeadLetters.Tests.Cli;

/// <summary>The newcomer's one command: a real pipeline fills the DLT, and the tour lists, inspects and replays it.</summary>
public sealed class DemoTests
{
    [Fact]
    public async Task Demo_FullTour_EveryStepSucceedsReplayedOrdersAreProcessedAndNoFileIsLeft()
    {
        static string[] AuditFiles() => Directory.GetFiles(Path.GetTempPath(), "kafka-dlt-demo-audit-*");
        var before = AuditFiles();

        var result = await CliRunner.RunAsync("demo");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Contains("7 dead-lettered to 'orders-dlt'", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Replay complete: 7 replayed, 0 refused, 0 failed", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("The pipeline processed 5 replayed order(s)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Dry run: 2 record(s) would be sent", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Audit trail of step 7: 7 line(s)", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(AuditFiles().Except(before));
    }

    [Fact]
    public async Task EmbeddedDemoOption_Inspect_RunsAgainstTheDemoCluster()
    {
        var result = await CliRunner.RunAsync("inspect", "orders-dlt", "--embedded-demo", "--exception", "PaymentDeclined", "--json");

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        Assert.Equal(2, result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
