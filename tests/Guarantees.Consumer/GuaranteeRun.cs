using System.Text;
using Microsoft.Extensions.Configuration;

namespace KafkaPipeline.Guarantees.Consumer;

/// <summary>The settings of one consumer process and its crash hook.</summary>
public sealed class GuaranteeRun
{
    private int _crashed;

    public required string Bootstrap { get; init; }

    public required string Topic { get; init; }

    public required string Group { get; init; }

    public required string RunId { get; init; }

    public required string Postgres { get; init; }

    public required string Redis { get; init; }

    public required string CommitMode { get; init; }

    public required string Store { get; init; }

    public required string CrashPoint { get; init; }

    public string? CrashId { get; init; }

    public TimeSpan Lease { get; init; }

    public required string Ordering { get; init; }

    /// <summary>Failing records go through one retry topic (<c>&lt;topic&gt;-retry</c>, 300 ms) before <c>&lt;topic&gt;-dlt</c>.</summary>
    public bool RetryTopics { get; init; }

    public static GuaranteeRun From(IConfiguration settings)
    {
        string Required(string key) => settings[key] is { Length: > 0 } value ? value : throw new ArgumentException($"--{key} is required");
        return new GuaranteeRun
        {
            Bootstrap = Required("Bootstrap"),
            Topic = Required("Topic"),
            Group = Required("Group"),
            RunId = Required("RunId"),
            Postgres = Required("Postgres"),
            Redis = settings["Redis"] ?? "127.0.0.1:6379",
            CommitMode = settings["CommitMode"] ?? "StoredOffsets",
            Store = settings["Store"] ?? "none",
            CrashPoint = settings["CrashPoint"] ?? "none",
            CrashId = settings["CrashId"],
            Ordering = settings["Ordering"] ?? "Partition",
            RetryTopics = string.Equals(settings["RetryTopics"], "true", StringComparison.OrdinalIgnoreCase),
            Lease = TimeSpan.Parse(settings["Lease"] ?? "00:00:02", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    public static string MessageId(ConsumeContext context) =>
        context.Headers.TryGetLastBytes("message-id", out var id) ? Encoding.UTF8.GetString(id) : string.Empty;

    /// <summary>Prints "<paramref name="what"/> &lt;message id&gt;" for the test.</summary>
    public void Print(string what, ConsumeContext context)
    {
        Console.Out.WriteLine($"{what} {MessageId(context)}");
        Console.Out.Flush();
    }

    /// <summary>At <paramref name="point"/> for the chosen record: print the marker and block until the process is killed.</summary>
    public async ValueTask CrashIfAsync(string point, ConsumeContext context)
    {
        if (point != CrashPoint || MessageId(context) != CrashId || Interlocked.Exchange(ref _crashed, 1) == 1)
        {
            return;
        }

        Console.Out.WriteLine($"CRASHPOINT reached {context.Topic}/{context.Partition}/{context.Offset}");
        Console.Out.Flush();
        await Task.Delay(Timeout.Infinite, CancellationToken.None); // the test kills the process (SIGKILL) here
    }
}
