using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace KafkaPipeline.Deduplication.PostgreSql.Tests.Support;

/// <summary>
/// The real PostgreSQL of the test run (scripts/services.sh starts it): <c>KP_POSTGRES</c>, default
/// kafkapipeline/kafkapipeline@127.0.0.1:5432/kafkapipeline. Each instance owns a unique table name, dropped at the end.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    /// <summary>A loopback port nothing listens on: every connection is refused at once.</summary>
    public const string ClosedPort = "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=2";

    private static readonly Lazy<NpgsqlDataSource> Shared = new(() => NpgsqlDataSource.Create(ConnectionString));

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("KP_POSTGRES") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Port=5432;Username=kafkapipeline;Password=kafkapipeline;Database=kafkapipeline";

    public static NpgsqlDataSource DataSource => Shared.Value;

    public string Table { get; } = "dedup_test_" + Guid.NewGuid().ToString("N")[..16];

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public PostgreSqlDeduplicationOptions Options(Action<PostgreSqlDeduplicationOptions>? configure = null)
    {
        var options = new PostgreSqlDeduplicationOptions { TableName = Table };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A store as another consumer process would have: its own tokens, same table and clock.</summary>
    public PostgreSqlDeduplicationStore Store(Action<PostgreSqlDeduplicationOptions>? configure = null) => new(DataSource, Options(configure), Time);

    public static async Task<T?> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    public static async Task ExecuteAsync(string sql)
    {
        await using var command = DataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public Task<string?> StateAsync(string key) => ScalarAsync<string>($"SELECT state FROM {Table} WHERE key = @key", ("key", key));

    public Task<DateTime> ExpiresAtAsync(string key) => ScalarAsync<DateTime>($"SELECT expires_at FROM {Table} WHERE key = @key", ("key", key));

    public async Task<long> CountAsync() => await ScalarAsync<long>($"SELECT count(*) FROM {Table}");

    public async ValueTask DisposeAsync() => await ExecuteAsync($"DROP TABLE IF EXISTS {Table}");
}
