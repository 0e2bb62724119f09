using KafkaPipeline.DeadLetters.Replay;

namespace KafkaPipeline.Cli.Output;

/// <summary>Sends each audit entry to several observers (audit file, progress, JSON output) and counts outcomes.</summary>
internal sealed class ReplayObservers(params IReplayObserver?[] observers) : IReplayObserver
{
    private long _done;

    /// <summary>Entries seen so far.</summary>
    public long Done => Interlocked.Read(ref _done);

    /// <summary>Called after each entry with the running count.</summary>
    public Action<long>? Progress { get; set; }

    public void OnRecord(ReplayAuditEntry entry)
    {
        foreach (var observer in observers)
        {
            observer?.OnRecord(entry);
        }

        Progress?.Invoke(Interlocked.Increment(ref _done));
    }
}

/// <summary>Prints each entry as a JSON line (<c>--json</c>).</summary>
internal sealed class JsonReplayObserver(TextWriter stdout) : IReplayObserver
{
    public void OnRecord(ReplayAuditEntry entry) => stdout.WriteLine(RecordJson.Line(RecordJson.Audit(entry)));
}
