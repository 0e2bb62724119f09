using KafkaPipeline.Deduplication.PostgreSql.Tests.Support;
using KafkaPipeline.Tests.Support;
using KafkaPipeline.Tests.Support.Deduplication;

namespace KafkaPipeline.Deduplication.PostgreSql.Tests;

public sealed class PostgreSqlDeduplicationStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);
    private readonly TestDatabase _db = new();

    [Fact]
    public async Task TryReserve_NewKey_ReservedRowWithLeaseExpiry()
    {
        var status = await _db.Store().TryReserveAsync("g|m1", Lease, default);

        Assert.Equal(ReservationStatus.Reserved, status);
        Assert.Equal("reserved", await _db.StateAsync("g|m1"));
        Assert.Equal((_db.Time.GetUtcNow() + Lease).UtcDateTime, await _db.ExpiresAtAsync("g|m1"));
    }

    [Fact]
    public async Task TryReserve_KeyHeldByOtherConsumer_InProgress()
    {
        await _db.Store().TryReserveAsync("g|m1", Lease, default);

        Assert.Equal(ReservationStatus.InProgress, await _db.Store().TryReserveAsync("g|m1", Lease, default));
    }

    [Fact]
    public async Task Complete_ThenReserve_AlreadyProcessedKeptForRetention()
    {
        var store = _db.Store();
        await store.TryReserveAsync("g|m1", Lease, default);

        await store.CompleteAsync("g|m1", Retention, default);

        Assert.Equal(ReservationStatus.AlreadyProcessed, await _db.Store().TryReserveAsync("g|m1", Lease, default));
        Assert.Equal("processed", await _db.StateAsync("g|m1"));
        Assert.Equal((_db.Time.GetUtcNow() + Retention).UtcDateTime, await _db.ExpiresAtAsync("g|m1"));
    }

    [Fact]
    public async Task Release_OwnReservation_RowDeletedAndKeyReservable()
    {
        var store = _db.Store();
        await store.TryReserveAsync("g|m1", Lease, default);

        await store.ReleaseAsync("g|m1", default);

        Assert.Equal(0, await _db.CountAsync());
        Assert.Equal(ReservationStatus.Reserved, await _db.Store().TryReserveAsync("g|m1", Lease, default));
    }

    [Fact]
    public async Task TryReserve_LeaseExpired_AnotherConsumerTakesOver()
    {
        await _db.Store().TryReserveAsync("g|m1", Lease, default);
        var other = _db.Store();
        Assert.Equal(ReservationStatus.InProgress, await other.TryReserveAsync("g|m1", Lease, default));

        _db.Time.Advance(Lease);

        Assert.Equal(ReservationStatus.Reserved, await other.TryReserveAsync("g|m1", Lease, default));
    }

    [Fact]
    public async Task Release_AfterLeaseExpiredAndTakenOver_KeepsNewHoldersReservation()
    {
        var crashed = _db.Store();
        await crashed.TryReserveAsync("g|m1", Lease, default);
        _db.Time.Advance(Lease + TimeSpan.FromSeconds(1));
        await _db.Store().TryReserveAsync("g|m1", Lease, default);

        await crashed.ReleaseAsync("g|m1", default);

        Assert.Equal("reserved", await _db.StateAsync("g|m1"));
        Assert.Equal(ReservationStatus.InProgress, await _db.Store().TryReserveAsync("g|m1", Lease, default));
    }

    [Fact]
    public async Task Complete_RetentionExpired_KeyReservableAgain()
    {
        var store = _db.Store();
        await store.TryReserveAsync("g|m1", Lease, default);
        await store.CompleteAsync("g|m1", Retention, default);
        _db.Time.Advance(Retention - TimeSpan.FromSeconds(1));
        Assert.Equal(ReservationStatus.AlreadyProcessed, await store.TryReserveAsync("g|m1", Lease, default));

        _db.Time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(ReservationStatus.Reserved, await store.TryReserveAsync("g|m1", Lease, default));
    }

    [Fact]
    public async Task TryReserve_SixteenConsumersAtOnce_ExactlyOneReserves()
    {
        await _db.Store().EnsureTableAsync();
        var stores = Enumerable.Range(0, 16).Select(_ => _db.Store()).ToArray();

        var results = await Contention.ReserveAllAtOnceAsync(stores, "g|contended", Lease);

        Assert.Single(results, r => r == ReservationStatus.Reserved);
        Assert.Equal(15, results.Count(r => r == ReservationStatus.InProgress));
    }

    [Fact]
    public async Task TryReserve_SixteenConsumersOnMissingTable_CreatesItOnceAndOneReserves()
    {
        var stores = Enumerable.Range(0, 16).Select(_ => _db.Store()).ToArray();

        var results = await Task.WhenAll(stores.Select(s => Task.Run(async () => await s.TryReserveAsync("g|contended", Lease, default))));

        Assert.Single(results, r => r == ReservationStatus.Reserved);
    }

    [Fact]
    public async Task CleanupExpired_MixedRows_DeletesOnlyExpiredInBatches()
    {
        var store = _db.Store(o => o.CleanupBatchSize = 2);
        for (var i = 0; i < 5; i++)
        {
            await store.TryReserveAsync($"g|short{i}", TimeSpan.FromMinutes(1), default);
        }

        await store.TryReserveAsync("g|long", TimeSpan.FromHours(1), default);
        await store.CompleteAsync("g|done", Retention, default);
        _db.Time.Advance(TimeSpan.FromMinutes(2));

        var deleted = await store.CleanupExpiredAsync();

        Assert.Equal(5, deleted);
        Assert.Equal(2, await _db.CountAsync());
        Assert.Equal("reserved", await _db.StateAsync("g|long"));
        Assert.Equal("processed", await _db.StateAsync("g|done"));
    }

    [Fact]
    public async Task TryReserve_VeryLongKey_StoredAsIs()
    {
        var key = "g|" + new string('k', 1500);

        Assert.Equal(ReservationStatus.Reserved, await _db.Store().TryReserveAsync(key, Lease, default));
        Assert.Equal(ReservationStatus.InProgress, await _db.Store().TryReserveAsync(key, Lease, default));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}
