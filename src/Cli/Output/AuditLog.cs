using KafkaPipeline.DeadLetters.Replay;

namespace KafkaPipeline.Cli.Output;

/// <summary>
/// The replay audit trail: one JSON line per selected record (replayed, refused or failed), appended to a file and
/// flushed per line so an interrupted replay leaves a complete trail. Never holds keys, payloads or secrets.
/// </summary>
internal sealed class AuditLog : IReplayObserver, IDisposable
{
    public const string DefaultFile = "kafka-dlt-audit.jsonl";

    private readonly TextWriter _writer;
    private readonly bool _owned;

    private AuditLog(TextWriter writer, bool owned, string description)
    {
        _writer = writer;
        _owned = owned;
        Description = description;
    }

    /// <summary>Where the lines go, for the summary.</summary>
    public string Description { get; }

    public long Lines { get; private set; }

    /// <summary>Appends to <paramref name="path"/>, or writes to <paramref name="stderr"/> when the path is <c>-</c>.</summary>
    public static AuditLog Open(string path, TextWriter stderr)
    {
        if (path == "-")
        {
            return new AuditLog(stderr, owned: false, "stderr");
        }

        try
        {
            var full = Path.GetFullPath(path);
            var stream = new FileStream(full, FileMode.Append, FileAccess.Write, FileShare.Read);
            return new AuditLog(new StreamWriter(stream) { AutoFlush = true }, owned: true, full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"Cannot open the audit file '{path}': {e.Message} Fix: pass --audit with a writable path (or '-' for stderr).");
        }
    }

    public void OnRecord(ReplayAuditEntry entry)
    {
        _writer.WriteLine(RecordJson.Line(RecordJson.Audit(entry)));
        Lines++;
    }

    public void Dispose()
    {
        if (_owned)
        {
            _writer.Dispose();
        }
    }
}
