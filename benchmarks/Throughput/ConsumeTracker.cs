using System.Diagnostics;

namespace KafkaPipeline.Benchmarks.Throughput;

/// <summary>
/// Counts consumed records and checks, per partition, that offsets arrive exactly once and in order
/// (0, 1, 2, ... up to the produced count). Called from the raw loop's thread, or from the pipeline's lanes: since the
/// lanes redesign (issue 8) records of different partitions run concurrently on thread-pool threads (one at a time per
/// partition in the default Partition mode), so the count is atomic; read from any thread.
/// </summary>
internal sealed class ConsumeTracker
{
    private const int BlockSize = 256;

    /// <summary>Set <c>BENCH_STALLS=1</c> to print every 256-record block that took over 20 ms (stalls, GC pauses).</summary>
    private static readonly bool PrintStalls = Environment.GetEnvironmentVariable("BENCH_STALLS") == "1";
    private readonly long[] _next;
    private readonly long[] _expected;
    private readonly long _total;
    private readonly ManualResetEventSlim _done = new();
    private long _count;
    private long _blockStart;
    private string? _violation;

    public ConsumeTracker(IReadOnlyList<long> expectedPerPartition)
    {
        _expected = [.. expectedPerPartition];
        _next = new long[_expected.Length];
        _total = _expected.Sum();
    }

    public long Count => Volatile.Read(ref _count);

    public long FirstTimestamp { get; private set; }

    public long LastTimestamp { get; private set; }

    /// <summary>The longest time (Stopwatch ticks) any block of 256 consecutive records took: shows stalls.</summary>
    public long LongestBlock { get; private set; }

    /// <summary>GC figures of the whole process at the first record and at the last.</summary>
    public GcSnapshot FirstGc { get; private set; }

    public GcSnapshot LastGc { get; private set; }

    /// <summary>Why the consumed records differ from the produced ones; null while they match.</summary>
    public string? Violation => Volatile.Read(ref _violation);

    public void Record(int partition, long offset)
    {
        if ((uint)partition >= (uint)_next.Length || offset != _next[partition] || offset >= _expected[partition])
        {
            Fail($"partition {partition} delivered offset {offset}, expected {(partition < _next.Length ? _next[partition] : -1)} "
                + $"(produced {(partition < _expected.Length ? _expected[partition] : 0)})");
            return;
        }

        _next[partition] = offset + 1;
        var count = Interlocked.Increment(ref _count);
        if (count == 1)
        {
            FirstGc = GcSnapshot.Take();
            FirstTimestamp = _blockStart = Stopwatch.GetTimestamp();
        }
        else if (count % BlockSize == 0)
        {
            var now = Stopwatch.GetTimestamp();

            // Records run on several threads in the pipeline: the first record's thread may not have stamped the start yet.
            var start = Volatile.Read(ref _blockStart);
            LongestBlock = start == 0 ? LongestBlock : Math.Max(LongestBlock, now - start);
            if (PrintStalls && start != 0 && now - start > Stopwatch.Frequency / 50)
            {
                Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"  stall: records {count - BlockSize}..{count} took {Stopwatch.GetElapsedTime(start, now).TotalMilliseconds:F1} ms, "
                    + $"{Stopwatch.GetElapsedTime(FirstTimestamp, now).TotalMilliseconds:F0} ms into the run"));
            }

            _blockStart = now;
        }

        if (count == _total)
        {
            LastTimestamp = Stopwatch.GetTimestamp();
            LastGc = GcSnapshot.Take();
            _done.Set();
        }
    }

    /// <summary>Waits until every produced record arrived once; throws on a violation or the deadline.</summary>
    public void WaitForAll(TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!_done.Wait(TimeSpan.FromMilliseconds(50)))
        {
            ThrowIfViolated(what);
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new InvalidOperationException($"{what}: consumed {Count:N0} of {_total:N0} records within {timeout.TotalSeconds:N0} s.");
            }
        }

        ThrowIfViolated(what);
    }

    public void ThrowIfViolated(string what)
    {
        if (Violation is { } violation)
        {
            throw new InvalidOperationException($"{what}: consumed records differ from the produced ones: {violation}.");
        }

        if (Count > _total)
        {
            throw new InvalidOperationException($"{what}: consumed {Count:N0} records but {_total:N0} were produced.");
        }
    }

    private void Fail(string violation)
    {
        Interlocked.CompareExchange(ref _violation, violation, null);
        _done.Set();
    }
}
