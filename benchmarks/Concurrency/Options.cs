using System.Globalization;

namespace KafkaPipeline.Benchmarks.Concurrency;

/// <summary>Command line: <c>--scenario io|dlt-outage|key-parking|transient|all</c>, <c>--rounds N</c>, <c>--records N</c>.</summary>
internal sealed record Options(string Scenario, int Rounds, int? Records)
{
    public static readonly string[] Scenarios = ["io", "dlt-outage", "key-parking", "transient"];

    public static Options Parse(string[] args)
    {
        var options = new Options("all", 3, null);
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--scenario" when value == "all" || Scenarios.Contains(value) => options with { Scenario = value },
                "--rounds" => options with { Rounds = Positive(args[i], value) },
                "--records" => options with { Records = Positive(args[i], value) },
                _ => throw new ArgumentException(
                    $"Unknown argument '{args[i]} {value}'. Use --scenario {string.Join('|', Scenarios)}|all, --rounds N (default 3), --records N (overrides each scenario's record count)."),
            };
            i++;
        }

        return options;
    }

    /// <summary>The scenario's record count unless <c>--records</c> overrides it.</summary>
    public int RecordsOr(int scenarioDefault) => Records ?? scenarioDefault;

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw new ArgumentException($"{name} must be a positive integer, not '{value}'.");
}
