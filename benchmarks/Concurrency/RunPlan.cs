using KafkaPipeline.ErrorHandling.BackOff;

namespace KafkaPipeline.Benchmarks.Concurrency;

/// <summary>
/// One kind of run: the consumer's settings (given as configuration strings, so that the same plan runs on a core that
/// does not know them), what the handler does, which records are expected to end in the dead-letter topic, and which
/// records the figure is measured on.
/// </summary>
internal sealed record RunPlan(string Name, string Ordering, int? MaxConcurrency)
{
    /// <summary>How long the handler awaits per delivery (Task.Delay); zero: it returns at once.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>True when this delivery (record id, delivery attempt from 1) throws.</summary>
    public Func<Workload, long, int, bool> Fails { get; init; } = static (_, _, _) => false;

    /// <summary>Records that fail for good and must be dead-lettered.</summary>
    public Func<Workload, long, bool> DeadLetters { get; init; } = static (_, _) => false;

    /// <summary>Records the figure is measured on (first one's start to last one's end).</summary>
    public Func<Workload, long, bool> Measured { get; init; } = static (_, _) => true;

    public FixedBackOff BackOff { get; init; } = new(TimeSpan.Zero, 0);

    /// <summary>More configuration (e.g. dead-letter producer settings).</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; init; } = new Dictionary<string, string?>();

    /// <summary>Runs once every measured record is done, before waiting for the rest (e.g. the dead-letter broker comes back).</summary>
    public Action? AfterMeasured { get; init; }

    /// <summary>Group id (a fresh one per run when null).</summary>
    public Func<string>? GroupId { get; init; }

    public string Settings =>
        $"Ordering={Ordering}, MaxConcurrency={MaxConcurrency?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "default"}, handler {(Latency > TimeSpan.Zero ? $"awaits {Latency.TotalMilliseconds:F0} ms" : "returns at once")}";
}
