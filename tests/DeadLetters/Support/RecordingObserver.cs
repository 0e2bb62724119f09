using KafkaPipeline.DeadLetters.Replay;

namespace KafkaPipeline.DeadLetters.Tests.Support;

/// <summary>Collects audit entries; <see cref="OnEntry"/> lets a test act after a given entry (e.g. cancel the replay).</summary>
internal sealed class RecordingObserver : IReplayObserver
{
    private readonly List<ReplayAuditEntry> _entries = [];

    public Action<ReplayAuditEntry, int>? OnEntry { get; init; }

    public IReadOnlyList<ReplayAuditEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    public void OnRecord(ReplayAuditEntry entry)
    {
        int count;
        lock (_entries)
        {
            _entries.Add(entry);
            count = _entries.Count;
        }

        OnEntry?.Invoke(entry, count);
    }
}
