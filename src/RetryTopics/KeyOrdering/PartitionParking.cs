namespace KafkaPipeline.RetryTopics.KeyOrdering;

/// <summary>
/// The parked keys of one partition number of one retry chain (main topic partition p and partition p of each retry
/// topic, owned together by one member thanks to the range assignor): for each key, the main-topic offsets of its records
/// that are in the retry topics, in key order; the head (lowest) is the record the key waits for. Also the retry-topic
/// records found twice after a restart (forwarded, not yet committed), which are skipped. Thread-safe.
/// </summary>
internal sealed class PartitionParking
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ParkedKey, SortedSet<long>> _keys = [];
    private readonly HashSet<(string Topic, long Offset)> _superseded = [];
    private readonly Dictionary<string, CancellationToken> _assignments = new(StringComparer.Ordinal);

    private readonly object? _generation;

    public PartitionParking(Task ready, object? generation = null)
    {
        Ready = ready;
        _generation = generation;
    }

    /// <summary>Completes when the state is rebuilt from the retry topics.</summary>
    public Task Ready { get; }

    public int KeyCount
    {
        get
        {
            lock (_gate)
            {
                return _keys.Count;
            }
        }
    }

    /// <summary>
    /// Whether this state serves the assignment the record comes from. Two marks, either of which means the partition was
    /// assigned anew and the state must be rebuilt: the consumer's assignment <paramref name="generation"/> (its
    /// <c>AssignedPartitions</c> list, replaced at every assignment and revoke; the range assignor reassigns every partition
    /// at each rebalance), and the record's token per topic (one per assignment of a partition; a topic seen first is
    /// adopted).
    /// </summary>
    public bool Serves(string topic, CancellationToken token, object? generation = null)
    {
        lock (_gate)
        {
            if (generation is not null && _generation is not null && !ReferenceEquals(generation, _generation))
            {
                return false;
            }

            if (_assignments.TryGetValue(topic, out var known))
            {
                return known == token;
            }

            _assignments[topic] = token;
            return true;
        }
    }

    /// <summary>Loads what the rebuild found (before <see cref="Ready"/> completes).</summary>
    internal void Load(IEnumerable<(ParkedKey Key, long OriginalOffset)> live, IEnumerable<(string Topic, long Offset)> superseded)
    {
        lock (_gate)
        {
            foreach (var (key, offset) in live)
            {
                Add(key, offset);
            }

            _superseded.UnionWith(superseded);
        }
    }

    public bool IsSuperseded(string topic, long offset)
    {
        lock (_gate)
        {
            return _superseded.Remove((topic, offset));
        }
    }

    /// <summary>Main-topic record: Run (key free), Follow (key parked: added behind), or Skip (already in the chain).</summary>
    public KeyDecision OnMainRecord(ParkedKey key, long offset)
    {
        lock (_gate)
        {
            if (!_keys.TryGetValue(key, out var chain))
            {
                return KeyDecision.Run;
            }

            if (chain.Contains(offset))
            {
                return KeyDecision.Skip;
            }

            chain.Add(offset);
            return KeyDecision.Follow;
        }
    }

    /// <summary>Retry-topic record: Run when it is its key's head, else Follow. A record not known yet is added (at-least-once).</summary>
    public KeyDecision OnRetryRecord(ParkedKey key, long originalOffset)
    {
        lock (_gate)
        {
            Add(key, originalOffset);
            return _keys[key].Min == originalOffset ? KeyDecision.Run : KeyDecision.Follow;
        }
    }

    /// <summary>The record enters the retry topics (its first failure).</summary>
    public void Enter(ParkedKey key, long originalOffset)
    {
        lock (_gate)
        {
            Add(key, originalOffset);
        }
    }

    /// <summary>The record left the retry topics (handled, dead-lettered or dropped), or never entered them; the key is released when none is left.</summary>
    public void Leave(ParkedKey key, long originalOffset)
    {
        lock (_gate)
        {
            if (_keys.TryGetValue(key, out var chain) && chain.Remove(originalOffset) && chain.Count == 0)
            {
                _keys.Remove(key);
            }
        }
    }

    public bool IsParked(ParkedKey key)
    {
        lock (_gate)
        {
            return _keys.ContainsKey(key);
        }
    }

    private void Add(ParkedKey key, long offset)
    {
        if (!_keys.TryGetValue(key, out var chain))
        {
            _keys[key] = chain = [];
        }

        chain.Add(offset);
    }
}
