using System.Security.Cryptography;
using System.Text;
using KafkaPipeline.Deduplication.Redis.Tests.Support;
using KafkaPipeline.Middleware;
using KafkaPipeline.Tests.Support;
using KafkaPipeline.Tests.Support.Deduplication;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaPipeline.Deduplication.Redis.Tests;

/// <summary>The core deduplication middleware on the real Redis store behind its resilience guard.</summary>
public sealed class RedisDeduplicationMiddlewareTests : IAsyncLifetime
{
    private readonly string _prefix = TestRedis.UniquePrefix();
    private readonly FakeHandler _handler = new();

    [Fact]
    public async Task Invoke_SameMessageIdTwice_HandledOnceBothReachCommit()
    {
        var middleware = Middleware();
        var first = TestRecords.WithMessageId("order-1", offset: 5);
        var second = TestRecords.WithMessageId("order-1", offset: 9);

        await middleware.InvokeAsync(first, _handler.InvokeAsync);
        await middleware.InvokeAsync(second, _handler.InvokeAsync);

        Assert.Equal(1, _handler.Handled);
        Assert.Equal(2, _handler.Reached);
        Assert.False(first.IsDuplicate);
        Assert.True(second.IsDuplicate);
        Assert.Equal("processed", (string?)await TestRedis.Database.StringGetAsync(_prefix + "g|order-1"));
    }

    [Fact]
    public async Task Invoke_HandlerThrows_ReservationReleasedAndRetryHandles()
    {
        var middleware = Middleware();
        _handler.Behavior = _ => throw new InvalidOperationException("handler failed");

        await Assert.ThrowsAsync<InvalidOperationException>(() => middleware.InvokeAsync(TestRecords.WithMessageId("order-1"), _handler.InvokeAsync).AsTask());
        Assert.False(await TestRedis.Database.KeyExistsAsync(_prefix + "g|order-1"));
        _handler.Behavior = null;
        await middleware.InvokeAsync(TestRecords.WithMessageId("order-1"), _handler.InvokeAsync);

        Assert.Equal(1, _handler.Handled);
    }

    [Fact]
    public async Task Invoke_KeyHeldByAnotherConsumer_ThrowsInProgressWithoutHandling()
    {
        await TestRedis.Store(_prefix).TryReserveAsync("g|order-1", TimeSpan.FromMinutes(5), default);

        var error = await Assert.ThrowsAsync<DeduplicationInProgressException>(
            () => Middleware().InvokeAsync(TestRecords.WithMessageId("order-1"), _handler.InvokeAsync).AsTask());

        Assert.Equal("g|order-1", error.Key);
        Assert.Equal(0, _handler.Reached);
    }

    [Fact]
    public async Task Invoke_VeryLongMessageId_StoredUnderSha256OfGroupAndId()
    {
        var id = new string('x', 5000);
        var expected = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("g|" + id)));

        await Middleware().InvokeAsync(TestRecords.WithMessageId(id), _handler.InvokeAsync);
        await Middleware().InvokeAsync(TestRecords.WithMessageId(id, offset: 6), _handler.InvokeAsync);

        Assert.Equal("processed", (string?)await TestRedis.Database.StringGetAsync(_prefix + expected));
        Assert.Equal(1, _handler.Handled);
        Assert.Equal(2, _handler.Reached);
    }

    [Fact]
    public async Task Invoke_NoHeaderNoSelector_KeysOnGroupTopicPartitionOffsetAndTimestamp()
    {
        await Middleware().InvokeAsync(TestRecords.WithMessageId(messageId: null, offset: 42), _handler.InvokeAsync);

        // The test record carries no timestamp (0); a real one carries its CreateTime or LogAppendTime in ms.
        Assert.Equal("processed", (string?)await TestRedis.Database.StringGetAsync(_prefix + "g|orders|0|42|0"));
    }

    [Fact]
    public async Task Invoke_SelectorThrows_NotRetryableKeyExceptionBeforeTouchingStore()
    {
        var options = new DeduplicationOptions { KeySelector = _ => throw new FormatException("bad payload") };

        await Assert.ThrowsAsync<DeduplicationKeyException>(
            () => Middleware(options).InvokeAsync(TestRecords.WithMessageId(messageId: null), _handler.InvokeAsync).AsTask());

        Assert.Equal(0, _handler.Reached);
    }

    private DeduplicationMiddleware Middleware(DeduplicationOptions? options = null)
    {
        options ??= new DeduplicationOptions();
        var store = new ResilientDeduplicationStore(TestRedis.Store(_prefix), "Redis", options.Resilience, RedisTransientErrors.IsTransient);
        return new DeduplicationMiddleware(store, options, NullLogger.Instance);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => TestRedis.DeletePrefixAsync(_prefix);
}
