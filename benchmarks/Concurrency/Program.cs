using KafkaPipeline.Benchmarks.Concurrency;

// Issue 8's concurrency benchmarks on the embedded cluster. Each run checks that exactly the produced records were
// handled (or dead-lettered as planned) and committed; any mismatch ends with "BENCHMARK FAILED: …" and exit code 1.
// A missed target is printed as MISSED and the run goes on (exit code 0).
Options options;
try
{
    options = Options.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

var scenarios = new Dictionary<string, Func<Options, Task<bool>>>(StringComparer.Ordinal)
{
    ["io"] = IoBoundScenario.RunAsync,
    ["dlt-outage"] = DeadLetterOutageScenario.RunAsync,
    ["key-parking"] = KeyParkingScenario.RunAsync,
    ["transient"] = TransientScenario.RunAsync,
};
try
{
    var met = new List<string>();
    foreach (var name in options.Scenario == "all" ? Options.Scenarios : [options.Scenario])
    {
        var started = DateTime.UtcNow;
        var ok = await scenarios[name](options).ConfigureAwait(false);
        Report.Line($"-- {name}: {(ok ? "target met" : "target MISSED")} ({(DateTime.UtcNow - started).TotalSeconds:F0} s, load average {Report.LoadAverage()})");
        Report.Line(string.Empty);
        met.Add($"{name} {(ok ? "met" : "MISSED")}");
    }

    Report.Line($"targets: {string.Join(", ", met)}");
    return 0;
}
catch (InvalidOperationException ex)
{
    Console.Error.WriteLine($"BENCHMARK FAILED: {ex.Message}");
    Console.WriteLine($"BENCHMARK FAILED: {ex.Message}");
    return 1;
}
