using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;

namespace KafkaPipeline.Benchmarks.Concurrency;

/// <summary>Printing: the machine, medians, and the final ratio line of each scenario.</summary>
internal static class Report
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    public static void Machine() => Console.WriteLine(string.Create(Invariant,
        $".NET {Environment.Version}, {Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, {RuntimeInformation.OSDescription}; load average {LoadAverage()}"));

    public static void Line(string text) => Console.WriteLine(text);

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static double MedianRate(IEnumerable<RunResult> runs) => Median(runs.Select(r => r.RecordsPerSecond));

    /// <summary>Prints the medians of each plan's runs, with every run's figure.</summary>
    public static void Medians(IEnumerable<RunResult> runs)
    {
        foreach (var plan in runs.GroupBy(r => r.Plan))
        {
            Console.WriteLine(string.Create(Invariant,
                $"median {plan.Key + ":",-23} {MedianRate(plan),9:N0} rec/s   (runs: {string.Join(", ", plan.Select(r => r.RecordsPerSecond.ToString("N0", Invariant)))})"));
        }
    }

    /// <summary>The ratio line: measured / basis against the target; a miss is printed as such, never rounded up.</summary>
    public static bool Ratio(string what, double measured, double basis, double target)
    {
        var ratio = measured / basis;
        var met = ratio >= target;
        Console.WriteLine(string.Create(Invariant,
            $"{what}: {measured:N0} / {basis:N0} rec/s = ratio {Math.Floor(ratio * 1000) / 1000:F3} (target >= {target:F2}: {(met ? "met" : "MISSED")})"));
        return met;
    }
}
