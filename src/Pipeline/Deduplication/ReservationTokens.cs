namespace KafkaPipeline.Deduplication;

/// <summary>
/// For authors of remote stores: remembers the token of each reservation this store instance made, so that
/// (1) a release removes only its own reservation (compare-and-delete on the token), and (2) a retried
/// reservation whose first attempt failed with an unknown outcome (e.g. a timeout after the write landed)
/// reuses that attempt's token and recognises its own reservation instead of reporting it in progress.
/// </summary>
internal sealed class ReservationTokens
{
    private const int MaxEntries = 100_000;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Number of keys with a remembered token.</summary>
    public int Count
    {
        get
        {
            lock (_entries)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The token to use for a reservation attempt on <paramref name="key"/>.</summary>
    public string Begin(string key)
    {
        lock (_entries)
        {
            if (_entries.TryGetValue(key, out var entry) && entry.State == State.Unknown)
            {
                _entries[key] = entry with { State = State.InFlight };
                return entry.Token;
            }

            var token = Guid.NewGuid().ToString("N");
            if (entry.Token is null || entry.State != State.Held)
            {
                TrimIfFull();
                _entries[key] = new Entry(token, State.InFlight);
            }

            return token;
        }
    }

    /// <summary>Records an attempt's outcome: true reserved, false not reserved, null unknown (the attempt threw).</summary>
    public void End(string key, string token, bool? reserved)
    {
        lock (_entries)
        {
            if (reserved == true)
            {
                _entries[key] = new Entry(token, State.Held);
                return;
            }

            if (!_entries.TryGetValue(key, out var entry) || entry.Token != token || entry.State == State.Held)
            {
                return;
            }

            if (reserved == false)
            {
                _entries.Remove(key);
            }
            else
            {
                _entries[key] = entry with { State = State.Unknown };
            }
        }
    }

    /// <summary>The token of a reservation held (or possibly held) on <paramref name="key"/>; null when none.</summary>
    public string? Current(string key)
    {
        lock (_entries)
        {
            return _entries.TryGetValue(key, out var entry) && entry.State != State.InFlight ? entry.Token : null;
        }
    }

    /// <summary>Forgets <paramref name="key"/> (after completion), or only its <paramref name="token"/> (after release).</summary>
    public void Forget(string key, string? token = null)
    {
        lock (_entries)
        {
            if (token is null || (_entries.TryGetValue(key, out var entry) && entry.Token == token))
            {
                _entries.Remove(key);
            }
        }
    }

    private void TrimIfFull()
    {
        if (_entries.Count < MaxEntries)
        {
            return;
        }

        // Unknown outcomes of records that were never retried (e.g. dead-lettered) are the only entries that linger.
        foreach (var (key, entry) in _entries.ToArray())
        {
            if (entry.State == State.Unknown)
            {
                _entries.Remove(key);
            }
        }
    }

    private enum State
    {
        InFlight,
        Held,
        Unknown,
    }

    private readonly record struct Entry(string Token, State State);
}
