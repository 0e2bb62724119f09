using KafkaPipeline.Cli;
using KafkaPipeline.Cli.Output;

namespace KafkaPipeline.DeadLetters.Tests.Output;

public sealed class FittedTableTests
{
    [Fact]
    public void Write_TooNarrowForEveryWord_ShortensTheLeastImportantColumnFirstAndNeverSplitsAWord()
    {
        var table = new FittedTable()
            .AddColumn("Exception", shrinkFirst: 8)
            .AddColumn("Message", wrap: true, shrinkFirst: 1);
        table.AddRow("PaymentDeclinedException", "could not charge KafkaPipeline.Cli.Demo.DemoOrder because the provider said no");

        var output = Render(table, width: 60);

        Assert.Contains("PaymentDeclinedException", output, StringComparison.Ordinal);
        Assert.Contains("…", output, StringComparison.Ordinal);
        Assert.Contains("provider", output, StringComparison.Ordinal);
        Assert.All(output.Split('\n'), line => Assert.True(line.Length <= 60, line));
    }

    [Fact]
    public void Write_RoomToSpare_NothingShortened()
    {
        var table = new FittedTable().AddColumn("Key").AddColumn("Note", wrap: true);
        table.AddRow("customer-12345", "a note that fits");

        var output = Render(table, width: 120);

        Assert.Contains("customer-12345", output, StringComparison.Ordinal);
        Assert.Contains("a note that fits", output, StringComparison.Ordinal);
        Assert.DoesNotContain("…", output, StringComparison.Ordinal);
    }

    private static string Render(FittedTable table, int width)
    {
        using var stdout = new StringWriter();
        var console = CliConsole.Plain(stdout, TextWriter.Null);
        console.Out.Profile.Width = width;
        table.Write(console.Out);
        return stdout.ToString();
    }
}
