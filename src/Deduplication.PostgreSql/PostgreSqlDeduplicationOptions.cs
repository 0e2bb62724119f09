using System.Data;
using System.Text.RegularExpressions;

namespace KafkaPipeline.Deduplication.PostgreSql;

/// <summary>Settings of the PostgreSQL deduplication store and transactional inbox (e.g. section <c>Kafka:Deduplication:PostgreSql</c>).</summary>
public sealed partial class PostgreSqlDeduplicationOptions
{
    /// <summary>Default table name.</summary>
    public const string DefaultTableName = "kafka_pipeline_dedup";

    /// <summary>Npgsql connection string; the store then owns an <c>NpgsqlDataSource</c>. Null (default): the <c>NpgsqlDataSource</c> registered in DI is used.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Schema of the table; null (default) resolves the table through the connection's <c>search_path</c>.</summary>
    public string? SchemaName { get; set; }

    /// <summary>Table name (lower-case letters, digits, underscores; at most 48 characters). Default <c>kafka_pipeline_dedup</c>.</summary>
    public string TableName { get; set; } = DefaultTableName;

    /// <summary>Create the schema, table and index on first use when missing (needs CREATE rights). Default true; false expects the shipped script to have run.</summary>
    public bool CreateTableIfMissing { get; set; } = true;

    /// <summary>How often a background service deletes expired rows; <see cref="TimeSpan.Zero"/> disables it. Default 1 hour.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per cleanup statement (cleanup repeats until fewer are found). Default 10,000.</summary>
    public int CleanupBatchSize { get; set; } = 10_000;

    /// <summary>Isolation level of the inbox transaction the handler shares. Default <see cref="IsolationLevel.ReadCommitted"/>.</summary>
    public IsolationLevel InboxIsolationLevel { get; set; } = IsolationLevel.ReadCommitted;

    /// <summary>Every broken rule, one per line; empty when the options are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ConnectionString is { } cs && string.IsNullOrWhiteSpace(cs))
        {
            errors.Add("PostgreSqlDeduplicationOptions.ConnectionString is empty: set it or leave it null to use the NpgsqlDataSource registered in DI.");
        }

        if (SchemaName is not null && !IsIdentifier(SchemaName, 63))
        {
            errors.Add($"PostgreSqlDeduplicationOptions.SchemaName '{SchemaName}' must be lower-case letters, digits and underscores (starting with a letter or underscore, at most 63 characters), or null.");
        }

        if (TableName is null || !IsIdentifier(TableName, 48))
        {
            errors.Add($"PostgreSqlDeduplicationOptions.TableName '{TableName}' must be lower-case letters, digits and underscores (starting with a letter or underscore, at most 48 characters).");
        }

        if (CleanupInterval < TimeSpan.Zero)
        {
            errors.Add($"PostgreSqlDeduplicationOptions.CleanupInterval must be zero (off) or positive (was {CleanupInterval}).");
        }

        if (CleanupBatchSize < 1)
        {
            errors.Add($"PostgreSqlDeduplicationOptions.CleanupBatchSize must be at least 1 (was {CleanupBatchSize}).");
        }

        if (InboxIsolationLevel is not (IsolationLevel.ReadCommitted or IsolationLevel.RepeatableRead or IsolationLevel.Serializable))
        {
            errors.Add($"PostgreSqlDeduplicationOptions.InboxIsolationLevel must be ReadCommitted, RepeatableRead or Serializable (was {InboxIsolationLevel}).");
        }

        return errors;
    }

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, errors), "options");
        }
    }

    private static bool IsIdentifier(string name, int maxLength) => name.Length <= maxLength && Identifier().IsMatch(name);

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex Identifier();
}
