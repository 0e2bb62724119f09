namespace KafkaPipeline.RetryTopics.KeyOrdering;

/// <summary>What the key-order gate does with a record.</summary>
internal enum KeyDecision
{
    Run,
    Follow,
    Skip,
}

/// <summary>A record key compared by content (null keys are one key).</summary>
internal readonly struct ParkedKey(byte[]? key) : IEquatable<ParkedKey>
{
    private readonly byte[]? _key = key;

    public bool Equals(ParkedKey other) =>
        _key is null ? other._key is null : other._key is not null && _key.AsSpan().SequenceEqual(other._key);

    public override bool Equals(object? obj) => obj is ParkedKey other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_key ?? []);
        return _key is null ? -1 : hash.ToHashCode();
    }
}
