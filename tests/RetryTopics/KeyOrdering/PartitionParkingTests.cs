using System.Text;
using KafkaPipeline.RetryTopics.KeyOrdering;

namespace KafkaPipeline.RetryTopics.Tests.KeyOrdering;

public sealed class PartitionParkingTests
{
    private static readonly ParkedKey K = new(Encoding.UTF8.GetBytes("k"));
    private static readonly ParkedKey Other = new(Encoding.UTF8.GetBytes("other"));

    private static PartitionParking Parking() => new(Task.CompletedTask);

    [Fact]
    public void OnMainRecord_KeyFree_Runs() => Assert.Equal(KeyDecision.Run, Parking().OnMainRecord(K, 5));

    [Fact]
    public void OnMainRecord_KeyParked_FollowsAndOtherKeysRun()
    {
        var parking = Parking();
        parking.Enter(K, 5);
        Assert.Equal(KeyDecision.Follow, parking.OnMainRecord(K, 7));
        Assert.Equal(KeyDecision.Run, parking.OnMainRecord(Other, 8));
    }

    [Fact]
    public void OnMainRecord_AlreadyInChain_Skips()
    {
        var parking = Parking();
        parking.Enter(K, 5);
        Assert.Equal(KeyDecision.Skip, parking.OnMainRecord(K, 5));
    }

    [Fact]
    public void OnRetryRecord_OnlyHeadRuns_NextAfterLeave()
    {
        var parking = Parking();
        parking.Enter(K, 5);
        Assert.Equal(KeyDecision.Follow, parking.OnMainRecord(K, 7));
        Assert.Equal(KeyDecision.Follow, parking.OnRetryRecord(K, 7));
        Assert.Equal(KeyDecision.Run, parking.OnRetryRecord(K, 5));
        parking.Leave(K, 5);
        Assert.Equal(KeyDecision.Run, parking.OnRetryRecord(K, 7));
        parking.Leave(K, 7);
        Assert.False(parking.IsParked(K));
    }

    [Fact]
    public void Serves_NewTokenForKnownTopic_False()
    {
        var parking = Parking();
        using var first = new CancellationTokenSource();
        using var second = new CancellationTokenSource();
        Assert.True(parking.Serves("orders", first.Token));
        Assert.True(parking.Serves("orders-retry", second.Token)); // another topic of the same assignment is adopted
        Assert.True(parking.Serves("orders", first.Token));
        Assert.False(parking.Serves("orders", second.Token));
    }

    [Fact]
    public void Serves_NewGenerationForUnseenTopic_False()
    {
        var oldGeneration = new object();
        var parking = new PartitionParking(Task.CompletedTask, oldGeneration);
        using var source = new CancellationTokenSource();
        Assert.True(parking.Serves("orders", source.Token, oldGeneration));
        Assert.False(parking.Serves("orders-retry-100", source.Token, new object())); // reassigned: rebuild even for a topic not seen yet
    }

    [Fact]
    public void IsSuperseded_LoadedCopy_SkippedOnce()
    {
        var parking = Parking();
        parking.Load([(K, 5)], [("orders-retry-0", 3)]);
        Assert.True(parking.IsSuperseded("orders-retry-0", 3));
        Assert.False(parking.IsSuperseded("orders-retry-0", 3));
        Assert.True(parking.IsParked(K));
    }
}
