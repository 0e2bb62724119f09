using KafkaPipeline.Consuming;
using Xunit;

namespace KafkaPipeline.Tests.Consuming;

/// <summary>The commit metadata of records finished above the watermark, and the partition's bookkeeping of them.</summary>
public sealed class FinishedOffsetsTests
{
    [Fact]
    public void Codec_RoundTrip_GivesTheOffsetsBack()
    {
        long[] finished = [101, 102, 150, 4_000_000_000, 4_000_000_001];

        var metadata = FinishedOffsetsCodec.Encode(100, finished);

        Assert.StartsWith("kp1:100:", metadata, StringComparison.Ordinal);
        Assert.Equal(finished, FinishedOffsetsCodec.Decode(metadata, 100));
    }

    [Fact]
    public void Codec_NothingFinished_IsNull()
    {
        Assert.Null(FinishedOffsetsCodec.Encode(7, []));
    }

    [Fact]
    public void Codec_TooManyOffsets_KeepsTheLowestThatFit()
    {
        var finished = Enumerable.Range(1, 10_000).Select(i => 1_000L + (i * 3)).ToArray();

        var metadata = FinishedOffsetsCodec.Encode(1_000, finished, maxChars: 200);

        Assert.NotNull(metadata);
        Assert.True(metadata.Length <= 200, $"{metadata.Length} characters");
        var decoded = FinishedOffsetsCodec.Decode(metadata, 1_000);
        Assert.NotEmpty(decoded);
        Assert.Equal(finished.Take(decoded.Length), decoded);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("spring-metadata")]
    [InlineData("kp1:100")]
    [InlineData("kp1:abc:AQ")]
    [InlineData("kp1:100:!!not base64!!")]
    [InlineData("kp1:100:gA")] // a varint that never ends
    [InlineData("kp1:100:AA")] // a gap of zero
    public void Codec_MetadataNotOursOrDamaged_DecodesToNothing(string? metadata)
    {
        Assert.Empty(FinishedOffsetsCodec.Decode(metadata, 100));
    }

    [Fact]
    public void Codec_MetadataOfAnotherWatermark_IsIgnored()
    {
        // An offset reset tool moved the committed offset and left our metadata beside it.
        var metadata = FinishedOffsetsCodec.Encode(100, [105]);

        Assert.Empty(FinishedOffsetsCodec.Decode(metadata, 90));
    }

    [Fact]
    public void Codec_OffsetsNotAscending_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => FinishedOffsetsCodec.Encode(10, [12, 11]));
        Assert.Throws<ArgumentException>(() => FinishedOffsetsCodec.Encode(10, [10]));
    }

    [Fact]
    public void PartitionOffsets_FinishedAboveAnUnfinishedRecord_AreListedAndVersioned()
    {
        var offsets = Dispatched(10, 11, 12, 13);
        var before = offsets.FinishedVersion;

        offsets.MarkDone(12);
        offsets.MarkDone(13);

        Assert.Equal(-1, offsets.Position);
        Assert.Equal(10, offsets.CommitBase); // nothing below is done: the first dispatched record
        Assert.Equal([12L, 13L], offsets.FinishedAbove());
        Assert.Equal(before + 2, offsets.FinishedVersion);
    }

    [Fact]
    public void PartitionOffsets_PositionPassesTheFinished_TheyLeaveTheListAndTheVersionMoves()
    {
        var offsets = Dispatched(10, 11, 12);
        offsets.MarkDone(12);
        var version = offsets.FinishedVersion;

        offsets.MarkDone(10);
        Assert.Equal([12L], offsets.FinishedAbove());
        Assert.Equal(version, offsets.FinishedVersion); // only the position moved

        offsets.MarkDone(11);
        Assert.Equal(13, offsets.Position);
        Assert.Empty(offsets.FinishedAbove());
        Assert.Equal(version + 1, offsets.FinishedVersion);
    }

    [Fact]
    public void PartitionOffsets_SkipsOnlyTheOffsetsFinishedBefore()
    {
        var offsets = new PartitionOffsets();
        offsets.SkipFinished([12, 14]);

        Assert.False(offsets.IsFinishedBefore(10));
        Assert.False(offsets.IsFinishedBefore(11));
        Assert.True(offsets.IsFinishedBefore(12));
        Assert.False(offsets.IsFinishedBefore(13));
        Assert.True(offsets.IsFinishedBefore(14));
        Assert.False(offsets.IsFinishedBefore(15));
    }

    [Fact]
    public void PartitionOffsets_SkipOffsetsThatNeverArrive_AreForgotten()
    {
        // 12 was compacted away: 13 arrives instead, and the skip of 12 must not linger.
        var offsets = new PartitionOffsets();
        offsets.SkipFinished([12, 20]);

        Assert.False(offsets.IsFinishedBefore(13));
        Assert.True(offsets.IsFinishedBefore(20));
    }

    private static PartitionOffsets Dispatched(params long[] dispatched)
    {
        var offsets = new PartitionOffsets();
        foreach (var offset in dispatched)
        {
            Assert.True(offsets.TryAccept(offset));
        }

        return offsets;
    }
}
