namespace KafkaPipeline.DeadLetters.Reading;

/// <summary>Offsets <see cref="Start"/> (inclusive) to <see cref="End"/> (exclusive) of one partition.</summary>
public readonly record struct PartitionRange(int Partition, long Start, long End)
{
    /// <summary>Offsets in the range (zero when empty).</summary>
    public long Count => Math.Max(0, End - Start);
}
