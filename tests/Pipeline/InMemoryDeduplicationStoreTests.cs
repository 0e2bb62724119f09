using KafkaPipeline.Deduplication;
using Microsoft.Extensions.Time.Testing;

namespace KafkaPipeline.Tests;

public sealed class InMemoryDeduplicationStoreTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task TryReserve_LifecycleReservedInProgressProcessed()
    {
        var store = Store();

        Assert.Equal(ReservationStatus.Reserved, await store.TryReserveAsync("a", TimeSpan.FromMinutes(1), default));
        Assert.Equal(ReservationStatus.InProgress, await store.TryReserveAsync("a", TimeSpan.FromMinutes(1), default));
        await store.CompleteAsync("a", TimeSpan.FromHours(1), default);
        Assert.Equal(ReservationStatus.AlreadyProcessed, await store.TryReserveAsync("a", TimeSpan.FromMinutes(1), default));
    }

    [Fact]
    public async Task TryReserve_AfterLeaseExpired_ReservesAgain()
    {
        var store = Store();
        await store.TryReserveAsync("a", TimeSpan.FromMinutes(1), default);

        _time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromTicks(1));

        Assert.Equal(ReservationStatus.Reserved, await store.TryReserveAsync("a", TimeSpan.FromMinutes(1), default));
    }

    [Fact]
    public async Task TryReserve_AfterRetentionExpired_ReservesAgain()
    {
        var store = Store();
        await store.TryReserveAsync("a", TimeSpan.FromMinutes(1), default);
        await store.CompleteAsync("a", TimeSpan.FromHours(1), default);

        _time.Advance(TimeSpan.FromHours(2));

        Assert.Equal(ReservationStatus.Reserved, await store.TryReserveAsync("a", TimeSpan.FromMinutes(1), default));
    }

    [Fact]
    public async Task Release_AllowsImmediateReservation()
    {
        var store = Store();
        await store.TryReserveAsync("a", TimeSpan.FromMinutes(1), default);

        await store.ReleaseAsync("a", default);

        Assert.Equal(ReservationStatus.Reserved, await store.TryReserveAsync("a", TimeSpan.FromMinutes(1), default));
    }

    [Fact]
    public async Task Complete_BeyondBound_EvictsOldest()
    {
        var store = Store(maxEntries: 2);
        foreach (var key in new[] { "a", "b", "c" })
        {
            await store.TryReserveAsync(key, TimeSpan.FromMinutes(1), default);
            await store.CompleteAsync(key, TimeSpan.FromHours(1), default);
        }

        Assert.Equal(2, store.Count);
        Assert.Equal(ReservationStatus.Reserved, await store.TryReserveAsync("a", TimeSpan.FromMinutes(1), default));
        Assert.Equal(ReservationStatus.AlreadyProcessed, await store.TryReserveAsync("c", TimeSpan.FromMinutes(1), default));
    }

    private InMemoryDeduplicationStore Store(int maxEntries = 100) =>
        new(Microsoft.Extensions.Options.Options.Create(new DeduplicationOptions { InMemoryMaxEntries = maxEntries }), _time);
}
