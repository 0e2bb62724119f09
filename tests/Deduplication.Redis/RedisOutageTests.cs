using KafkaPipeline.Deduplication.Redis.Tests.Support;
using KafkaPipeline.Middleware;
using KafkaPipeline.Tests.Support;
using KafkaPipeline.Tests.Support.Deduplication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly.CircuitBreaker;
using StackExchange.Redis;

namespace KafkaPipeline.Deduplication.Redis.Tests;

/// <summary>Redis unreachable (a closed loopback port): fail-closed by default, fail-open on request, circuit breaker.</summary>
public sealed class RedisOutageTests : IAsyncLifetime
{
    private readonly RedisDeduplicationStore _down = new(new RedisDeduplicationOptions { ConnectionString = TestRedis.ClosedPort });
    private readonly FakeHandler _handler = new();
    private readonly string _prefix = TestRedis.UniquePrefix();

    [Fact]
    public async Task TryReserve_ServerDown_ThrowsStoreExceptionNamingRedisAndKey()
    {
        var store = Guarded(new DeduplicationOptions());

        var error = await Assert.ThrowsAsync<DeduplicationStoreException>(() => store.TryReserveAsync("g|order-1", TimeSpan.FromMinutes(5), default).AsTask());

        Assert.Equal("Redis", error.StoreName);
        Assert.Equal("g|order-1", error.Key);
        Assert.Equal("reserve", error.Operation);
        Assert.Contains("Redis", error.Message);
        Assert.Contains("'g|order-1'", error.Message);
        Assert.IsType<RedisConnectionException>(error.InnerException);
    }

    [Fact]
    public async Task Invoke_FailClosedDefault_ThrowsRetryableStoreExceptionAndSkipsHandler()
    {
        var options = new DeduplicationOptions();
        var middleware = new DeduplicationMiddleware(Guarded(options), options, NullLogger.Instance);

        var error = await Assert.ThrowsAsync<DeduplicationStoreException>(
            () => middleware.InvokeAsync(TestRecords.WithMessageId("order-1"), _handler.InvokeAsync).AsTask());

        Assert.Equal("g|order-1", error.Key);
        Assert.Equal(0, _handler.Reached);
    }

    [Fact]
    public async Task Invoke_FailOpen_ProcessesWithoutCheckAndWarns()
    {
        var options = new DeduplicationOptions { FailOpen = true };
        var logger = new ListLogger();
        var middleware = new DeduplicationMiddleware(Guarded(options), options, logger);

        await middleware.InvokeAsync(TestRecords.WithMessageId("order-1"), _handler.InvokeAsync);
        await middleware.InvokeAsync(TestRecords.WithMessageId("order-1"), _handler.InvokeAsync);

        Assert.Equal(2, _handler.Handled);
        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Warning && e.EventId.Id == 1090));
    }

    [Fact]
    public async Task TryReserve_RepeatedFailures_CircuitOpensAndFailsFast()
    {
        var options = new DeduplicationOptions
        {
            Resilience = { MaxRetryAttempts = 0, CircuitBreakerMinimumThroughput = 2, CircuitBreakerBreakDuration = TimeSpan.FromMinutes(1) },
        };
        var store = Guarded(options);
        for (var i = 0; i < 2; i++)
        {
            var failure = await Assert.ThrowsAsync<DeduplicationStoreException>(() => store.TryReserveAsync($"g|{i}", TimeSpan.FromMinutes(5), default).AsTask());
            Assert.IsType<RedisConnectionException>(failure.InnerException);
        }

        var error = await Assert.ThrowsAsync<DeduplicationStoreException>(() => store.TryReserveAsync("g|next", TimeSpan.FromMinutes(5), default).AsTask());

        Assert.IsType<BrokenCircuitException>(error.InnerException);
        Assert.Equal("g|next", error.Key);
    }

    [Fact]
    public async Task Invoke_CompleteFailsAfterHandlerSucceeded_LoggedNotThrown()
    {
        var options = new DeduplicationOptions();
        var logger = new ListLogger();
        var reservedButCompleteFails = new ReservesThenFails(_prefix);
        var middleware = new DeduplicationMiddleware(
            new ResilientDeduplicationStore(reservedButCompleteFails, "Redis", new DeduplicationResilienceOptions { Enabled = false }), options, logger);

        await middleware.InvokeAsync(TestRecords.WithMessageId("order-1"), _handler.InvokeAsync);

        Assert.Equal(1, _handler.Handled);
        Assert.Contains(logger.Entries, e => e.Level == LogLevel.Error && e.EventId.Id == 1091);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _down.DisposeAsync();
        await TestRedis.DeletePrefixAsync(_prefix);
    }

    private ResilientDeduplicationStore Guarded(DeduplicationOptions options)
    {
        options.Resilience.RetryDelay = TimeSpan.FromMilliseconds(1);
        return new ResilientDeduplicationStore(_down, "Redis", options.Resilience, RedisTransientErrors.IsTransient);
    }

    /// <summary>Reserves on the real Redis, then finds Redis gone when completing.</summary>
    private sealed class ReservesThenFails(string prefix) : IDeduplicationStore
    {
        private readonly RedisDeduplicationStore _real = TestRedis.Store(prefix);

        public ValueTask<ReservationStatus> TryReserveAsync(string key, TimeSpan lease, CancellationToken cancellationToken) =>
            _real.TryReserveAsync(key, lease, cancellationToken);

        public ValueTask CompleteAsync(string key, TimeSpan retention, CancellationToken cancellationToken) =>
            throw new TimeoutException("Redis went away before completion");

        public ValueTask ReleaseAsync(string key, CancellationToken cancellationToken) => _real.ReleaseAsync(key, cancellationToken);
    }
}
