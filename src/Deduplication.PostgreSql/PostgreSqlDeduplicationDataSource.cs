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
            DataSource = NpgsqlDataSource.Create(connectionString);
            _owned = true;
        }
        else
        {
            DataSource = services.GetService<NpgsqlDataSource>() ?? throw new InvalidOperationException(
                "The PostgreSQL deduplication store has no connection: set PostgreSqlDeduplicationOptions.ConnectionString or register an NpgsqlDataSource in DI.");
        }
    }

    public NpgsqlDataSource DataSource { get; }

    public ValueTask DisposeAsync() => _owned ? DataSource.DisposeAsync() : ValueTask.CompletedTask;
}
