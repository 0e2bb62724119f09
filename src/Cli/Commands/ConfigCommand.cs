using System.CommandLine;
using System.Text.Json.Nodes;
using KafkaPipeline.Cli.Output;
using Spectre.Console;

namespace KafkaPipeline.Cli.Commands;

/// <summary><c>kafka-dlt config</c>: the connection settings in effect, secrets masked (for checking a config file or environment).</summary>
internal static class ConfigCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var json = JsonOption.Create("the settings");
        var command = new Command("config", "Show the connection settings in effect (flags > environment > config file); secrets are masked.") { json };
        command.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, cancellationToken, (_, settings) =>
        {
            var values = settings.ToRedactedDictionary();
            if (parse.GetValue(json))
            {
                runtime.Console.Stdout.WriteLine(RecordJson.Line(new JsonObject([.. values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))])));
                return Task.FromResult(ExitCodes.Success);
            }

            var table = new FittedTable().AddColumn("Property", shrinkFirst: 5).AddColumn("Value", wrap: true, shrinkFirst: 1);
            foreach (var (key, value) in values)
            {
                table.AddRow(TerminalText.Line(key), TerminalText.Line(value));
            }

            table.AddRow("(timeout)", $"{settings.Timeout.TotalSeconds:0.#} s");
            table.Write(runtime.Console.Out);
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }
}
