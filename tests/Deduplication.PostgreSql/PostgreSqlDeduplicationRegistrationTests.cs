using KafkaPipeline.Deduplication.PostgreSql.Inbox;
using KafkaPipeline.Deduplication.PostgreSql.Tests.Support;
using KafkaPipeline.DependencyInjection;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace KafkaPipeline.Deduplication.PostgreSql.Tests;

public sealed class PostgreSqlDeduplicationRegistrationTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();

    [Fact]
    public async Task UsePostgreSqlDeduplication_ConnectionString_StoreIsGuardedPostgreSqlAndWorks()
    {
        var services = new ServiceCollection();
        services.AddKafkaPipeline().UsePostgreSqlDeduplication(o =>
        {
            o.ConnectionString = TestDatabase.ConnectionString;
            o.TableName = _db.Table;
        });
        await using var provider = services.BuildServiceProvider();

        var store = Assert.IsType<ResilientDeduplicationStore>(provider.GetRequiredService<IDeduplicationStore>());

        Assert.Equal("PostgreSQL", store.StoreName);
        Assert.IsType<PostgreSqlDeduplicationStore>(store.Inner);
        Assert.Equal(ReservationStatus.Reserved, await store.TryReserveAsync("g|m1", TimeSpan.FromMinutes(1), default));
        Assert.Equal("reserved", await _db.StateAsync("g|m1"));
    }

    [Fact]
    public async Task UsePostgreSqlDeduplication_NoConnectionString_UsesDataSourceFromDi()
    {
        var services = new ServiceCollection();
        services.AddSingleton(TestDatabase.DataSource);
        services.AddKafkaPipeline().UsePostgreSqlDeduplication(o => o.TableName = _db.Table);
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredService<IDeduplicationStore>().TryReserveAsync("g|m1", TimeSpan.FromMinutes(1), default);

        Assert.Equal("reserved", await _db.StateAsync("g|m1"));
    }

    [Fact]
    public async Task AddPostgreSqlInboxAndStore_SharedOptions_OneTableOneCleanupService()
    {
        var services = new ServiceCollection();
        services.AddKafkaPipeline()
            .UsePostgreSqlDeduplication(o => o.ConnectionString = TestDatabase.ConnectionString)
            .AddPostgreSqlInbox(o => o.TableName = _db.Table);
        await using var provider = services.BuildServiceProvider();

        var inbox = provider.GetRequiredService<PostgreSqlInbox>();

        Assert.Equal(_db.Table, inbox.TableName);
        Assert.Single(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(PostgreSqlDeduplicationCleanupService));
    }

    [Fact]
    public void UsePostgreSqlDeduplication_NoConnectionAnywhere_ValidationNamesBothFixes()
    {
        var services = new ServiceCollection();
        services.AddKafkaPipeline().UsePostgreSqlDeduplication(o => o.TableName = "Not Valid");
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PostgreSqlDeduplicationOptions>>().Value);

        Assert.Contains("PostgreSqlDeduplicationOptions.ConnectionString", error.Message);
        Assert.Contains(nameof(NpgsqlDataSource), error.Message);
        Assert.Contains("TableName", error.Message);
    }

    [Fact]
    public async Task CleanupService_IntervalElapses_ExpiredRowsDeleted()
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_db.Time);
        services.AddKafkaPipeline().UsePostgreSqlDeduplication(o =>
        {
            o.ConnectionString = TestDatabase.ConnectionString;
            o.TableName = _db.Table;
            o.CleanupInterval = TimeSpan.FromMinutes(10);
        });
        await using var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<PostgreSqlDeduplicationStore>();
        await store.TryReserveAsync("g|expires", TimeSpan.FromMinutes(1), default);
        await store.CompleteAsync("g|kept", TimeSpan.FromDays(365), default);
        Assert.Contains(services, d => d.ImplementationType == typeof(PostgreSqlDeduplicationCleanupService));
        using var cleanup = ActivatorUtilities.CreateInstance<PostgreSqlDeduplicationCleanupService>(provider);
        await cleanup.StartAsync(default);

        await Eventually.True(
            async () =>
            {
                _db.Time.Advance(TimeSpan.FromMinutes(10));
                return await _db.CountAsync() == 1;
            },
            "the cleanup service deletes the expired reservation");
        await cleanup.StopAsync(default);

        Assert.Equal("processed", await _db.StateAsync("g|kept"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();
}
