using KafkaPipeline.Deduplication.PostgreSql.Inbox;
using KafkaPipeline.Deduplication.PostgreSql.Tests.Support;
using KafkaPipeline.Tests.Support;
using KafkaPipeline.Tests.Support.Deduplication;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace KafkaPipeline.Deduplication.PostgreSql.Tests;

/// <summary>The transactional inbox on the real server: handler work and processed mark commit or roll back together.</summary>
public sealed class PostgreSqlInboxTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private readonly string _work = "inbox_work_" + Guid.NewGuid().ToString("N")[..12];
    private readonly FakeHandler _handler = new();
    private readonly DeduplicationOptions _options = new();

    [Fact]
    public async Task Invoke_HandlerSucceeds_WorkAndMarkCommittedTogether()
    {
        long markVisibleOutsideDuringHandler = -1;
        _handler.Behavior = async ctx =>
        {
            await InsertWorkAsync(ctx, "payment-1");
            markVisibleOutsideDuringHandler = await _db.CountAsync();
        };

        await Middleware().InvokeAsync(TestRecords.WithMessageId("payment-1"), _handler.InvokeAsync);

        Assert.Equal(0, markVisibleOutsideDuringHandler);
        Assert.Equal(["payment-1"], await WorkAsync());
        Assert.Equal("processed", await _db.StateAsync("g|payment-1"));
        Assert.Equal((_db.Time.GetUtcNow() + _options.Retention).UtcDateTime, await _db.ExpiresAtAsync("g|payment-1"));
    }

    [Fact]
    public async Task Invoke_HandlerFailsAfterItsWork_BothRolledBackAndRetryHandles()
    {
        var middleware = Middleware();
        _handler.Behavior = async ctx =>
        {
            await InsertWorkAsync(ctx, "payment-1");
            throw new InvalidOperationException("charge declined after insert");
        };

        await Assert.ThrowsAsync<InvalidOperationException>(() => middleware.InvokeAsync(TestRecords.WithMessageId("payment-1"), _handler.InvokeAsync).AsTask());
        Assert.Empty(await WorkAsync());
        Assert.Equal(0, await _db.CountAsync());

        _handler.Behavior = ctx => InsertWorkAsync(ctx, "payment-1");
        await middleware.InvokeAsync(TestRecords.WithMessageId("payment-1"), _handler.InvokeAsync);

        Assert.Equal(["payment-1"], await WorkAsync());
        Assert.Equal("processed", await _db.StateAsync("g|payment-1"));
    }

    [Fact]
    public async Task Invoke_Redelivered_DuplicateSkipsHandlerButReachesCommit()
    {
        var middleware = Middleware();
        _handler.Behavior = ctx => InsertWorkAsync(ctx, "payment-1");
        await middleware.InvokeAsync(TestRecords.WithMessageId("payment-1", offset: 5), _handler.InvokeAsync);

        var redelivered = TestRecords.WithMessageId("payment-1", offset: 5);
        await middleware.InvokeAsync(redelivered, _handler.InvokeAsync);

        Assert.True(redelivered.IsDuplicate);
        Assert.False(redelivered.TryGetInboxTransaction(out _));
        Assert.Equal(1, _handler.Handled);
        Assert.Equal(2, _handler.Reached);
        Assert.Equal(["payment-1"], await WorkAsync());
    }

    [Fact]
    public async Task Invoke_SameKeyConcurrently_SecondWaitsForFirstCommitThenIsDuplicate()
    {
        var middleware = Middleware();
        var firstInHandler = new TaskCompletionSource();
        var releaseFirst = new TaskCompletionSource();
        _handler.Behavior = async ctx =>
        {
            await InsertWorkAsync(ctx, "payment-1");
            firstInHandler.TrySetResult();
            await releaseFirst.Task;
        };
        var first = middleware.InvokeAsync(TestRecords.WithMessageId("payment-1", offset: 5), _handler.InvokeAsync).AsTask();
        await firstInHandler.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var secondContext = TestRecords.WithMessageId("payment-1", offset: 5);
        var second = middleware.InvokeAsync(secondContext, _handler.InvokeAsync).AsTask();
        await Eventually.True(
            async () => await TestDatabase.ScalarAsync<long>(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO ' || @t || '%'", ("t", _db.Table)) == 1,
            "the second delivery waits on the first one's uncommitted mark");
        releaseFirst.SetResult();
        await Task.WhenAll(first, second);

        Assert.True(secondContext.IsDuplicate);
        Assert.Equal(1, _handler.Handled);
        Assert.Equal(["payment-1"], await WorkAsync());
    }

    [Fact]
    public async Task Invoke_KeyReservedByStoreOnSameTable_ThrowsInProgress()
    {
        await _db.Store().TryReserveAsync("g|payment-1", TimeSpan.FromMinutes(5), default);

        var error = await Assert.ThrowsAsync<DeduplicationInProgressException>(
            () => Middleware().InvokeAsync(TestRecords.WithMessageId("payment-1"), _handler.InvokeAsync).AsTask());

        Assert.Equal("g|payment-1", error.Key);
        Assert.Equal(0, _handler.Reached);
    }

    [Fact]
    public async Task Invoke_RetentionExpired_ProcessedAgain()
    {
        var middleware = Middleware();
        await middleware.InvokeAsync(TestRecords.WithMessageId("payment-1"), _handler.InvokeAsync);

        _db.Time.Advance(_options.Retention);
        await middleware.InvokeAsync(TestRecords.WithMessageId("payment-1"), _handler.InvokeAsync);

        Assert.Equal(2, _handler.Handled);
    }

    [Fact]
    public async Task Invoke_CommitFails_StoreExceptionAndNothingCommitted()
    {
        await TestDatabase.ExecuteAsync(
            $"ALTER TABLE {_work} ADD CONSTRAINT {_work}_once UNIQUE (id) DEFERRABLE INITIALLY DEFERRED");
        _handler.Behavior = async ctx =>
        {
            await InsertWorkAsync(ctx, "payment-1");
            await InsertWorkAsync(ctx, "payment-1"); // violation surfaces only at commit
        };

        var error = await Assert.ThrowsAsync<DeduplicationStoreException>(
            () => Middleware().InvokeAsync(TestRecords.WithMessageId("payment-1"), _handler.InvokeAsync).AsTask());

        Assert.Equal("PostgreSQL inbox", error.StoreName);
        Assert.Equal("commit the inbox transaction of", error.Operation);
        Assert.IsType<PostgresException>(error.InnerException);
        Assert.Equal(0, await _db.CountAsync());
        Assert.Empty(await WorkAsync());
    }

    [Fact]
    public async Task Invoke_DatabaseDown_StoreExceptionNamingInboxAndKeyHandlerNotReached()
    {
        await using var down = NpgsqlDataSource.Create(TestDatabase.ClosedPort);
        var inbox = new PostgreSqlInbox(
            new DeduplicationTable(down, _db.Options(), _db.Time), new DeduplicationResilienceOptions { RetryDelay = TimeSpan.FromMilliseconds(1) });
        var middleware = new PostgreSqlInboxMiddleware(inbox, _options, NullLogger.Instance);

        var error = await Assert.ThrowsAsync<DeduplicationStoreException>(
            () => middleware.InvokeAsync(TestRecords.WithMessageId("payment-1"), _handler.InvokeAsync).AsTask());

        Assert.Equal("PostgreSQL inbox", error.StoreName);
        Assert.Equal("g|payment-1", error.Key);
        Assert.Contains("'g|payment-1'", error.Message);
        Assert.Equal(0, _handler.Reached);
    }

    [Fact]
    public void GetInboxTransaction_NoInboxStep_ThrowsSayingHowToAddIt()
    {
        var context = TestRecords.WithMessageId("payment-1");

        var error = Assert.Throws<InvalidOperationException>(() => context.GetInboxTransaction());

        Assert.Contains("UsePostgreSqlInbox()", error.Message);
        Assert.Contains("AddPostgreSqlInbox", error.Message);
    }

    [Fact]
    public async Task Invoke_AfterPipeline_TransactionNoLongerExposed()
    {
        var context = TestRecords.WithMessageId("payment-1");
        InboxTransaction? seen = null;
        _handler.Behavior = ctx =>
        {
            seen = ctx.GetInboxTransaction();
            return ValueTask.CompletedTask;
        };

        await Middleware().InvokeAsync(context, _handler.InvokeAsync);

        Assert.NotNull(seen);
        Assert.Equal("g|payment-1", seen.Key);
        Assert.False(context.TryGetInboxTransaction(out _));
    }

    public async Task InitializeAsync() => await TestDatabase.ExecuteAsync($"CREATE TABLE {_work} (id text NOT NULL)");

    public async Task DisposeAsync()
    {
        await TestDatabase.ExecuteAsync($"DROP TABLE IF EXISTS {_work}");
        await _db.DisposeAsync();
    }

    private PostgreSqlInboxMiddleware Middleware() =>
        new(new PostgreSqlInbox(new DeduplicationTable(TestDatabase.DataSource, _db.Options(), _db.Time), _options.Resilience), _options, NullLogger.Instance);

    private async ValueTask InsertWorkAsync(ConsumeContext context, string id)
    {
        await using var command = context.GetInboxTransaction().CreateCommand($"INSERT INTO {_work} (id) VALUES (@id)");
        command.Parameters.AddWithValue("id", id);
        await command.ExecuteNonQueryAsync(context.CancellationToken);
    }

    private async Task<List<string>> WorkAsync()
    {
        await using var command = TestDatabase.DataSource.CreateCommand($"SELECT id FROM {_work} ORDER BY id");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<string>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
