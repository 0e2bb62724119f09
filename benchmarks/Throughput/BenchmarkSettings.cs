using System.Globalization;

namespace KafkaPipeline.Benchmarks.Throughput;

/// <summary>Command-line settings: <c>--records N --partitions N --runs N --record-bytes N --breakdown --poison</c>.</summary>
internal sealed record BenchmarkSettings(int Records, int Partitions, int Runs, int RecordBytes, bool Breakdown = false, bool Poison = false)
{
    /// <summary>The mock keeps at most 5 MiB (and 100,000 message sets) per partition; stay well below.</summary>
    private const long MockPartitionBytes = 5L * 1024 * 1024;

    public static BenchmarkSettings Parse(string[] args)
    {
        var settings = new BenchmarkSettings(Records: 200_000, Partitions: 16, Runs: 3, RecordBytes: 200);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--breakdown")
            {
                settings = settings with { Breakdown = true };
                continue;
            }

            if (args[i] == "--poison")
            {
                settings = settings with { Poison = true };
                continue;
            }

            var value = i + 1 < args.Length ? args[i + 1] : throw Usage($"'{args[i]}' needs a value.");
            settings = args[i] switch
            {
                "--records" => settings with { Records = Number(args[i], value) },
                "--partitions" => settings with { Partitions = Number(args[i], value) },
                "--runs" => settings with { Runs = Number(args[i], value) },
                "--record-bytes" => settings with { RecordBytes = Number(args[i], value) },
                _ => throw Usage($"unknown option '{args[i]}'."),
            };
            i++;
        }

        settings.Validate();
        return settings;
    }

    public int PerPartition(int partition) => (Records / Partitions) + (partition < Records % Partitions ? 1 : 0);

    private void Validate()
    {
        if (Records < Partitions || Partitions < 1 || Runs < 1 || RecordBytes < 120)
        {
            throw Usage("need --records >= --partitions >= 1, --runs >= 1 and --record-bytes >= 120.");
        }

        // A record costs its value, key and ~70 bytes of record/batch framing in the mock's log.
        var bytesPerPartition = (long)PerPartition(0) * (RecordBytes + 90);
        if (bytesPerPartition > MockPartitionBytes * 8 / 10)
        {
            throw Usage($"{PerPartition(0):N0} records of {RecordBytes} bytes per partition (~{bytesPerPartition / 1024 / 1024.0:F1} MiB) come too close to the mock's "
                + "5 MiB per-partition log, which prunes the oldest records. Use more --partitions or fewer --records.");
        }
    }

    private static int Number(string option, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw Usage($"{option} needs a positive whole number, not '{value}'.");

    private static ArgumentException Usage(string problem) => new(
        $"Invalid arguments: {problem} Usage: dotnet run -c Release --project benchmarks/Throughput -- "
        + "[--records 200000] [--partitions 16] [--runs 3] [--record-bytes 200] [--breakdown] [--poison]");
}
