using Npgsql;

namespace KafkaPipeline.Samples.Payments;

/// <summary>The sample's tables: the charges (the effect) and every delivery the handler saw (evidence).</summary>
public sealed class Ledger(NpgsqlDataSource dataSource, string runId)
{
    public const string Charges = "payments_ledger";
    public const string Deliveries = "payments_deliveries";
    public const string InboxTable = "payments_inbox";

    public string RunId { get; } = runId;

    public static async Task CreateTablesAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand($"""
            CREATE TABLE IF NOT EXISTS {Charges} (
                run_id text NOT NULL, payment_id text NOT NULL, account text NOT NULL, amount numeric(12, 2) NOT NULL,
                pid int NOT NULL, charged_at timestamptz NOT NULL DEFAULT clock_timestamp());
            CREATE TABLE IF NOT EXISTS {Deliveries} (
                run_id text NOT NULL, payment_id text NOT NULL, pid int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
            """);
        await command.ExecuteNonQueryAsync();
    }

    public async Task RecordDeliveryAsync(string paymentId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"INSERT INTO {Deliveries} (run_id, payment_id, pid) VALUES ($1, $2, $3)");
        command.Parameters.AddWithValue(RunId);
        command.Parameters.AddWithValue(paymentId);
        command.Parameters.AddWithValue(Environment.ProcessId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Per payment: how many times the handler ran, and how many charges exist.</summary>
    public async Task<Dictionary<string, (int Deliveries, int Charges)>> ReportAsync()
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT d.payment_id, d.deliveries, coalesce(c.charges, 0)
            FROM (SELECT payment_id, count(*) AS deliveries FROM {Deliveries} WHERE run_id = $1 GROUP BY payment_id) d
            LEFT JOIN (SELECT payment_id, count(*) AS charges FROM {Charges} WHERE run_id = $1 GROUP BY payment_id) c
              ON c.payment_id = d.payment_id
            ORDER BY d.payment_id
            """);
        command.Parameters.AddWithValue(RunId);
        await using var reader = await command.ExecuteReaderAsync();
        var report = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            report[reader.GetString(0)] = ((int)reader.GetInt64(1), (int)reader.GetInt64(2));
        }

        return report;
    }
}
