namespace KafkaPipeline.Consuming;

/// <summary>A record key as a lane identity in Key mode: equal bytes are the same key; all null keys are one key.</summary>
internal readonly struct LaneKey : IEquatable<LaneKey>
{
    private readonly byte[]? _bytes;
    private readonly int _hash;

    public LaneKey(byte[]? bytes)
    {
        _bytes = bytes;
        if (bytes is null)
        {
            _hash = 0;
            return;
        }

        var hash = default(HashCode);
        hash.AddBytes(bytes);
        _hash = hash.ToHashCode();
    }

    public bool Equals(LaneKey other) =>
        _hash == other._hash && (_bytes is null ? other._bytes is null : other._bytes is not null && _bytes.AsSpan().SequenceEqual(other._bytes));

    public override bool Equals(object? obj) => obj is LaneKey other && Equals(other);

    public override int GetHashCode() => _hash;
}
