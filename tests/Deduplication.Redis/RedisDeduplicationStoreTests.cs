using KafkaPipeline.Deduplication.Redis.Tests.Support;
using KafkaPipeline.Tests.Support;
using KafkaPipeline.Tests.Support.Deduplication;
using NSubstitute;
using StackExchange.Redis;

namespace KafkaPipeline.Deduplication.Redis.Tests;

public sealed class RedisDeduplicationStoreTests : IAsyncLifetime
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);
    private readonly string _prefix = TestRedis.UniquePrefix();

    [Fact]
    public async Task TryReserve_NewKey_ReservedWithTokenAndLeaseTtl()
    {
        var store = TestRedis.Store(_prefix);

        var status = await store.TryReserveAsync("g|m1", Lease, default);

        Assert.Equal(ReservationStatus.Reserved, status);
        var value = (string?)await TestRedis.Database.StringGetAsync(_prefix + "g|m1");
        Assert.StartsWith("reserved:", value);
        var ttl = await TestRedis.Database.KeyTimeToLiveAsync(_prefix + "g|m1");
        Assert.InRange(ttl!.Value, Lease - TimeSpan.FromSeconds(30), Lease);
    }

    [Fact]
    public async Task TryReserve_KeyHeldByOtherConsumer_InProgress()
    {
        await TestRedis.Store(_prefix).TryReserveAsync("g|m1", Lease, default);

        var status = await TestRedis.Store(_prefix).TryReserveAsync("g|m1", Lease, default);

        Assert.Equal(ReservationStatus.InProgress, status);
    }

    [Fact]
    public async Task Complete_ThenReserve_AlreadyProcessedWithRetentionTtl()
    {
        var store = TestRedis.Store(_prefix);
        await store.TryReserveAsync("g|m1", Lease, default);

        await store.CompleteAsync("g|m1", Retention, default);

        Assert.Equal(ReservationStatus.AlreadyProcessed, await TestRedis.Store(_prefix).TryReserveAsync("g|m1", Lease, default));
        Assert.Equal("processed", (string?)await TestRedis.Database.StringGetAsync(_prefix + "g|m1"));
        var ttl = await TestRedis.Database.KeyTimeToLiveAsync(_prefix + "g|m1");
        Assert.InRange(ttl!.Value, Retention - TimeSpan.FromMinutes(1), Retention);
    }

    [Fact]
    public async Task Release_OwnReservation_KeyCanBeReservedAgain()
    {
        var store = TestRedis.Store(_prefix);
        await store.TryReserveAsync("g|m1", Lease, default);

        await store.ReleaseAsync("g|m1", default);

        Assert.False(await TestRedis.Database.KeyExistsAsync(_prefix + "g|m1"));
        Assert.Equal(ReservationStatus.Reserved, await TestRedis.Store(_prefix).TryReserveAsync("g|m1", Lease, default));
    }

    [Fact]
    public async Task TryReserve_LeaseExpired_AnotherConsumerReserves()
    {
        await TestRedis.Store(_prefix).TryReserveAsync("g|m1", TimeSpan.FromMilliseconds(200), default);
        var other = TestRedis.Store(_prefix);

        await Eventually.True(
            async () => await other.TryReserveAsync("g|m1", Lease, default) == ReservationStatus.Reserved,
            "the 200 ms lease expires and another consumer reserves the key");
    }

    [Fact]
    public async Task Release_AfterLeaseExpiredAndTakenOver_KeepsNewHoldersReservation()
    {
        var crashed = TestRedis.Store(_prefix);
        await crashed.TryReserveAsync("g|m1", TimeSpan.FromMilliseconds(200), default);
        var next = TestRedis.Store(_prefix);
        await Eventually.True(async () => await next.TryReserveAsync("g|m1", Lease, default) == ReservationStatus.Reserved, "takeover after lease expiry");
        var holderValue = (string?)await TestRedis.Database.StringGetAsync(_prefix + "g|m1");

        await crashed.ReleaseAsync("g|m1", default);

        Assert.Equal(holderValue, (string?)await TestRedis.Database.StringGetAsync(_prefix + "g|m1"));
        Assert.Equal(ReservationStatus.InProgress, await TestRedis.Store(_prefix).TryReserveAsync("g|m1", Lease, default));
    }

    [Fact]
    public async Task Complete_RetentionExpired_KeyForgottenAndReservedAgain()
    {
        var store = TestRedis.Store(_prefix);
        await store.TryReserveAsync("g|m1", Lease, default);
        await store.CompleteAsync("g|m1", TimeSpan.FromMilliseconds(200), default);
        Assert.Equal(ReservationStatus.AlreadyProcessed, await store.TryReserveAsync("g|m1", Lease, default));

        await Eventually.True(
            async () => await store.TryReserveAsync("g|m1", Lease, default) == ReservationStatus.Reserved,
            "the 200 ms retention expires and the key can be processed again");
    }

    [Fact]
    public async Task TryReserve_ThirtyTwoConsumersAtOnce_ExactlyOneReserves()
    {
        var stores = Enumerable.Range(0, 32).Select(_ => TestRedis.Store(_prefix)).ToArray();

        var results = await Contention.ReserveAllAtOnceAsync(stores, "g|contended", Lease);

        Assert.Single(results, r => r == ReservationStatus.Reserved);
        Assert.Equal(31, results.Count(r => r == ReservationStatus.InProgress));
    }

    [Fact]
    public async Task TryReserve_RetryAfterTimeoutWhoseWriteLanded_RecognisesOwnReservation()
    {
        var real = TestRedis.Database;
        var database = Substitute.For<IDatabase>();
        var calls = 0;
        database.ScriptEvaluateAsync(Arg.Any<string>(), Arg.Any<RedisKey[]>(), Arg.Any<RedisValue[]>(), Arg.Any<CommandFlags>())
            .Returns(async call =>
            {
                var result = await real.ScriptEvaluateAsync(call.ArgAt<string>(0), call.ArgAt<RedisKey[]>(1), call.ArgAt<RedisValue[]>(2));
                return Interlocked.Increment(ref calls) == 1 ? throw new TimeoutException("reply lost") : result;
            });
        var connection = Substitute.For<IConnectionMultiplexer>();
        connection.GetDatabase(Arg.Any<int>(), Arg.Any<object?>()).Returns(database);
        var store = new RedisDeduplicationStore(connection, new RedisDeduplicationOptions { KeyPrefix = _prefix });

        await Assert.ThrowsAsync<TimeoutException>(() => store.TryReserveAsync("g|m1", Lease, default).AsTask());
        var retried = await store.TryReserveAsync("g|m1", Lease, default);

        Assert.Equal(ReservationStatus.Reserved, retried);
        Assert.Equal(ReservationStatus.InProgress, await TestRedis.Store(_prefix).TryReserveAsync("g|m1", Lease, default));
    }

    [Fact]
    public async Task KeyPrefix_TwoPrefixes_AreIndependent()
    {
        var other = TestRedis.UniquePrefix();
        await TestRedis.Store(_prefix).TryReserveAsync("g|m1", Lease, default);

        var otherStatus = await TestRedis.Store(other).TryReserveAsync("g|m1", Lease, default);
        await TestRedis.DeletePrefixAsync(other);

        Assert.Equal(ReservationStatus.Reserved, otherStatus);
        Assert.Equal(_prefix + "g|m1", TestRedis.Store(_prefix).RedisKeyOf("g|m1").ToString());
    }

    [Fact]
    public async Task Constructor_OwnConnectionString_ConnectsOnFirstUseAndDisposes()
    {
        await using var store = new RedisDeduplicationStore(new RedisDeduplicationOptions { ConnectionString = TestRedis.ConnectionString, KeyPrefix = _prefix });

        Assert.Equal(ReservationStatus.Reserved, await store.TryReserveAsync("g|m1", Lease, default));
    }

    [Fact]
    public void Constructor_InvalidOptions_ListsEveryBrokenRule()
    {
        var error = Assert.Throws<ArgumentException>(() => new RedisDeduplicationStore(
            TestRedis.Connection, new RedisDeduplicationOptions { KeyPrefix = null!, Database = -5 }));

        Assert.Contains("KeyPrefix", error.Message);
        Assert.Contains("Database", error.Message);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => TestRedis.DeletePrefixAsync(_prefix);
}
