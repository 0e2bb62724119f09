using Npgsql;

namespace KafkaPipeline.Guarantees.Consumer;

/// <summary>Durable evidence of what the process did: handler calls (append-only) and effects, keyed by run id.</summary>
public sealed class Ledger(NpgsqlDataSource dataSource, GuaranteeRun run)
{
    public const string Schema = """
        CREATE TABLE IF NOT EXISTS guarantees_handler_calls (
            run_id text NOT NULL, message_id text NOT NULL, partition int NOT NULL, "offset" bigint NOT NULL,
            attempt int NOT NULL, pid int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
        CREATE INDEX IF NOT EXISTS guarantees_handler_calls_run_idx ON guarantees_handler_calls (run_id);
        CREATE TABLE IF NOT EXISTS guarantees_effects (
            run_id text NOT NULL, message_id text NOT NULL, pid int NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
        CREATE INDEX IF NOT EXISTS guarantees_effects_run_idx ON guarantees_effects (run_id);
        """;

    /// <summary>Records a handler call in its own (auto-committed) statement, outside any inbox transaction.</summary>
    public async Task RecordCallAsync(ConsumeContext context, string messageId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO guarantees_handler_calls (run_id, message_id, partition, \"offset\", attempt, pid) VALUES ($1, $2, $3, $4, $5, $6)");
        command.Parameters.AddWithValue(run.RunId);
        command.Parameters.AddWithValue(messageId);
        command.Parameters.AddWithValue(context.Partition);
        command.Parameters.AddWithValue(context.Offset);
        command.Parameters.AddWithValue(context.DeliveryAttempt);
        command.Parameters.AddWithValue(Environment.ProcessId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The handler's side effect: a ledger row, inside the inbox transaction when there is one.</summary>
    public async Task WriteEffectAsync(NpgsqlCommand command, string messageId, CancellationToken cancellationToken)
    {
        command.CommandText = "INSERT INTO guarantees_effects (run_id, message_id, pid) VALUES ($1, $2, $3)";
        command.Parameters.AddWithValue(run.RunId);
        command.Parameters.AddWithValue(messageId);
        command.Parameters.AddWithValue(Environment.ProcessId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public NpgsqlCommand CreateCommand() => dataSource.CreateCommand();
}
