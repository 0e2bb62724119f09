using KafkaPipeline.Deduplication.Redis.Tests.Support;
using KafkaPipeline.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KafkaPipeline.Deduplication.Redis.Tests;

public sealed class RedisDeduplicationRegistrationTests : IAsyncLifetime
{
    private readonly string _prefix = TestRedis.UniquePrefix();

    [Fact]
    public async Task UseRedisDeduplication_ConnectionString_StoreIsGuardedRedisAndWorks()
    {
        var services = new ServiceCollection();
        services.AddKafkaPipeline().UseRedisDeduplication(o =>
        {
            o.ConnectionString = TestRedis.ConnectionString;
            o.KeyPrefix = _prefix;
        });
        await using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<ResilientDeduplicationStore>(provider.GetRequiredService<IDeduplicationStore>());

        Assert.Equal("Redis", store.StoreName);
        Assert.IsType<RedisDeduplicationStore>(store.Inner);
        Assert.Equal(ReservationStatus.Reserved, await store.TryReserveAsync("g|m1", TimeSpan.FromMinutes(1), default));
        Assert.True(await TestRedis.Database.KeyExistsAsync(_prefix + "g|m1"));
    }

    [Fact]
    public async Task UseRedisDeduplication_NoConnectionString_UsesMultiplexerFromDi()
    {
        var services = new ServiceCollection();
        services.AddSingleton(TestRedis.Connection);
        services.AddKafkaPipeline().UseRedisDeduplication(o => o.KeyPrefix = _prefix);
        await using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<IDeduplicationStore>();

        Assert.Equal(ReservationStatus.Reserved, await store.TryReserveAsync("g|m1", TimeSpan.FromMinutes(1), default));
        Assert.True(await TestRedis.Database.KeyExistsAsync(_prefix + "g|m1"));
    }

    [Fact]
    public void UseRedisDeduplication_NoConnectionAnywhere_ValidationNamesBothFixes()
    {
        var services = new ServiceCollection();
        services.AddKafkaPipeline().UseRedisDeduplication();
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RedisDeduplicationOptions>>().Value);

        Assert.Contains("RedisDeduplicationOptions.ConnectionString", error.Message);
        Assert.Contains(nameof(IConnectionMultiplexer), error.Message);
    }

    [Fact]
    public void UseRedisDeduplication_InvalidResilience_ValidationListsEveryBrokenRule()
    {
        var services = new ServiceCollection();
        services.AddKafkaPipeline(o => { })
            .ConfigureDeduplication(o =>
            {
                o.Resilience.Timeout = TimeSpan.Zero;
                o.Resilience.CircuitBreakerMinimumThroughput = 1;
                o.Lease = TimeSpan.Zero;
            })
            .UseRedisDeduplication(o => o.ConnectionString = TestRedis.ConnectionString);
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DeduplicationOptions>>().Value);

        Assert.Contains("Resilience.Timeout", error.Message);
        Assert.Contains("Resilience.CircuitBreakerMinimumThroughput", error.Message);
        Assert.Contains("Lease", error.Message);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => TestRedis.DeletePrefixAsync(_prefix);
}
