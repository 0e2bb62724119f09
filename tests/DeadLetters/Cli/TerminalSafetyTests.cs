using KafkaPipeline.Cli;
using KafkaPipeline.DeadLetters.Tests.Support;
using KafkaPipeline.Tests.Support;

namespace KafkaPipeline.DeadLetters.Tests.Cli;

/// <summary>
/// A producer must not be able to drive an operator's terminal: control characters and bidi overrides from record data
/// reach people's output only in a visible, escaped form.
/// </summary>
public sealed class TerminalSafetyTests(OneBrokerCluster fixture) : IClassFixture<OneBrokerCluster>
{
    private const string Red = "\u001b[31m";
    private const string Title = "\u001b]0;owned\u0007";
    private const string Hostile = Red + "red" + Title + "\u009b2J\u007f\u202Eevil\u2066x\u0000";

    [Theory]
    [InlineData("inspect")]
    [InlineData("inspect", "--show", "0@0")]
    [InlineData("inspect", "--show", "0@0", "--payload", "text")]
    [InlineData("list")]
    [InlineData("replay", "--dry-run", "--to", "{target}")]
    public async Task Output_HostileRecordData_HasNoRawControlCharacters(params string[] command)
    {
        var topic = await ProduceHostileAsync();
        var args = command[0] == "list"
            ? ["list", "--suffix", topic + "-dlt", "-b", fixture.Bootstrap]
            : command.Take(1).Append(topic + "-dlt").Concat(command.Skip(1)).Select(a => a == "{target}" ? topic : a).Concat(["-b", fixture.Bootstrap]).ToArray();

        var result = await CliRunner.RunAsync(args);

        Assert.True(result.ExitCode == ExitCodes.Success, result.ToString());
        AssertNoRawControls(result.Stdout + result.Stderr);
        Assert.Contains(@"\x1b", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_HostileOriginalTopicName_IsEscapedInTheMessage()
    {
        var topic = fixture.CreateTopicWithDeadLetters("term-err");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, new SpringDeadLetter("gone" + Title, 0, 1));

        var result = await CliRunner.RunAsync("replay", topic + "-dlt", "--dry-run", "-b", fixture.Bootstrap);

        Assert.Equal(ExitCodes.NotFound, result.ExitCode);
        AssertNoRawControls(result.Stdout + result.Stderr);
        Assert.Contains(@"gone\x1b]0;owned\x07", result.Stderr, StringComparison.Ordinal);
    }

    private static void AssertNoRawControls(string output)
    {
        var raw = output.Where(c => (char.IsControl(c) && c != '\n') || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069').ToList();
        Assert.True(raw.Count == 0, $"raw control characters: {string.Join(" ", raw.Select(c => $"U+{(int)c:X4}"))}\n{output}");
    }

    private async Task<string> ProduceHostileAsync()
    {
        var topic = fixture.CreateTopicWithDeadLetters("term");
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0, new SpringDeadLetter(topic, 0, 1)
        {
            Key = "key" + Hostile,
            Value = "value" + Hostile + "\r\nline two\tend",
            ExceptionFqcn = "com.example.Boom" + Hostile,
            CauseFqcn = "com.example.Cause" + Hostile,
            Message = "message" + Hostile,
            Group = "group" + Hostile,
            ApplicationHeaders = [("trace" + Red, "header" + Hostile)],
        });
        return topic;
    }
}
