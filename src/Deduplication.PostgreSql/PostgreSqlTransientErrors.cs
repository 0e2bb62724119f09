using Npgsql;

namespace KafkaPipeline.Deduplication.PostgreSql;

/// <summary>Which PostgreSQL failures the resilience pipeline retries: those Npgsql marks transient, and timeouts.</summary>
internal static class PostgreSqlTransientErrors
{
    public static bool IsTransient(Exception exception) =>
        exception is NpgsqlException { IsTransient: true } || DeduplicationResilience.IsCommonTransient(exception);
}
