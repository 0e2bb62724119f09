using System.Security.Cryptography;
using System.Text;
using KafkaPipeline.Deduplication.PostgreSql.Tests.Support;
using KafkaPipeline.Middleware;
using KafkaPipeline.Tests.Support;
using KafkaPipeline.Tests.Support.Deduplication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace KafkaPipeline.Deduplication.PostgreSql.Tests;

/// <summary>The core deduplication middleware on the PostgreSQL store: normal flow, long keys and outages.</summary>
public sealed class PostgreSqlOutageAndMiddlewareTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private readonly FakeHandler _handler = new();
    private readonly NpgsqlDataSource _down = NpgsqlDataSource.Create(TestDatabase.ClosedPort);

    [Fact]
    public async Task Invoke_SameMessageIdTwice_HandledOnceBothReachCommit()
    {
        var middleware = Middleware(_db.Store(), new DeduplicationOptions());
        var second = TestRecords.WithMessageId("order-1", offset: 9);

        await middleware.InvokeAsync(TestRecords.WithMessageId("order-1"), _handler.InvokeAsync);
        await middleware.InvokeAsync(second, _handler.InvokeAsync);

        Assert.True(second.IsDuplicate);
        Assert.Equal(1, _handler.Handled);
        Assert.Equal(2, _handler.Reached);
    }

    [Fact]
    public async Task Invoke_HandlerThrows_ReservationReleasedAndRetryHandles()
    {
        var middleware = Middleware(_db.Store(), new DeduplicationOptions());
        _handler.Behavior = _ => throw new InvalidOperationException("handler failed");

        await Assert.ThrowsAsync<InvalidOperationException>(() => middleware.InvokeAsync(TestRecords.WithMessageId("order-1"), _handler.InvokeAsync).AsTask());
        Assert.Equal(0, await _db.CountAsync());
        _handler.Behavior = null;
        await middleware.InvokeAsync(TestRecords.WithMessageId("order-1"), _handler.InvokeAsync);

        Assert.Equal(1, _handler.Handled);
        Assert.Equal("processed", await _db.StateAsync("g|order-1"));
    }

    [Fact]
    public async Task Invoke_VeryLongMessageId_RowKeyIsSha256OfGroupAndId()
    {
        var id = new string('x', 5000);
        var expected = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("g|" + id)));

        await Middleware(_db.Store(), new DeduplicationOptions()).InvokeAsync(TestRecords.WithMessageId(id), _handler.InvokeAsync);

        Assert.Equal("processed", await _db.StateAsync(expected));
    }

    [Fact]
    public async Task TryReserve_ServerDown_StoreExceptionNamingPostgreSqlAndKey()
    {
        var store = Guarded(new DeduplicationOptions());

        var error = await Assert.ThrowsAsync<DeduplicationStoreException>(() => store.TryReserveAsync("g|order-1", TimeSpan.FromMinutes(1), default).AsTask());

        Assert.Equal("PostgreSQL", error.StoreName);
        Assert.Equal("g|order-1", error.Key);
        Assert.Contains("PostgreSQL deduplication store failed to reserve key 'g|order-1'", error.Message);
        Assert.IsAssignableFrom<NpgsqlException>(error.InnerException);
    }

    [Fact]
    public async Task Invoke_ServerDownFailClosed_ThrowsAndSkipsHandler()
    {
        var options = new DeduplicationOptions();

        await Assert.ThrowsAsync<DeduplicationStoreException>(
            () => Middleware(Guarded(options), options).InvokeAsync(TestRecords.WithMessageId("order-1"), _handler.InvokeAsync).AsTask());

        Assert.Equal(0, _handler.Reached);
    }

    [Fact]
    public async Task Invoke_ServerDownFailOpen_ProcessesAndWarns()
    {
        var options = new DeduplicationOptions { FailOpen = true };
        var logger = new ListLogger();

        await new DeduplicationMiddleware(Guarded(options), options, logger).InvokeAsync(TestRecords.WithMessageId("order-1"), _handler.InvokeAsync);

        Assert.Equal(1, _handler.Handled);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.EventId.Id == 1090);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _down.DisposeAsync();
        await _db.DisposeAsync();
    }

    private static DeduplicationMiddleware Middleware(IDeduplicationStore store, DeduplicationOptions options) =>
        new(store is ResilientDeduplicationStore ? store : new ResilientDeduplicationStore(store, "PostgreSQL", options.Resilience, PostgreSqlTransientErrors.IsTransient),
            options,
            NullLogger.Instance);

    private ResilientDeduplicationStore Guarded(DeduplicationOptions options)
    {
        options.Resilience.RetryDelay = TimeSpan.FromMilliseconds(1);
        return new ResilientDeduplicationStore(
            new PostgreSqlDeduplicationStore(_down, _db.Options(), _db.Time), "PostgreSQL", options.Resilience, PostgreSqlTransientErrors.IsTransient);
    }
}
