using System.Text;

namespace KafkaPipeline.Deduplication.PostgreSql;

/// <summary>
/// The table behind the PostgreSQL store and inbox. The package ships the default script as
/// <c>sql/kafka_pipeline_dedup.sql</c>; <see cref="CreateScript"/> gives it for other names.
/// </summary>
public static class PostgreSqlDeduplicationSchema
{
    /// <summary>Idempotent DDL (<c>IF NOT EXISTS</c>) for the table and its expiry index.</summary>
    public static string CreateScript(string? schemaName = null, string tableName = PostgreSqlDeduplicationOptions.DefaultTableName)
    {
        new PostgreSqlDeduplicationOptions { SchemaName = schemaName, TableName = tableName }.ThrowIfInvalid();
        var table = QualifiedName(schemaName, tableName);
        var script = new StringBuilder()
            .Append("-- KafkaPipeline deduplication table (KafkaPipeline.Deduplication.PostgreSql). Idempotent.\n")
            .Append("-- key: group|message id (or its sha256); state: 'reserved' while a consumer holds the lease, then 'processed';\n")
            .Append("-- token: the holder's reservation token; expires_at: lease end while reserved, retention end once processed.\n");
        if (schemaName is not null)
        {
            script.Append("CREATE SCHEMA IF NOT EXISTS ").Append(schemaName).Append(";\n");
        }

        return script
            .Append("CREATE TABLE IF NOT EXISTS ").Append(table).Append(" (\n")
            .Append("    key        text        NOT NULL PRIMARY KEY,\n")
            .Append("    state      text        NOT NULL CHECK (state IN ('reserved', 'processed')),\n")
            .Append("    token      uuid        NULL,\n")
            .Append("    expires_at timestamptz NOT NULL\n")
            .Append(");\n")
            .Append("CREATE INDEX IF NOT EXISTS ").Append(tableName).Append("_expires_at_idx ON ").Append(table).Append(" (expires_at);\n")
            .ToString();
    }

    internal static string QualifiedName(string? schemaName, string tableName) =>
        schemaName is null ? tableName : schemaName + "." + tableName;
}
