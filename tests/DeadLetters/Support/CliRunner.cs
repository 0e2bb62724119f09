using KafkaPipeline.Cli;

namespace KafkaPipeline.DeadLetters.Tests.Support;

/// <summary>Runs kafka-dlt in-process on a plain (non-terminal) console and captures its output.</summary>
internal static class CliRunner
{
    public static Task<CliResult> RunAsync(params string[] args) => RunWithEnvironmentAsync(null, args);

    public static async Task<CliResult> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var console = CliConsole.Plain(stdout, stderr, environment);
        var code = await KafkaDltApp.RunAsync(args, console);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
