using Npgsql;

namespace KafkaPipeline.Deduplication.PostgreSql.Inbox;

/// <summary>
/// The open connection and transaction of a record in the PostgreSQL transactional inbox. The processed mark of
/// the record is already written in it; do the handler's own database work in it too, and both commit together
/// when the pipeline succeeds, or roll back together when it fails. Do not commit, roll back or dispose it.
/// </summary>
public sealed class InboxTransaction
{
    internal InboxTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, string key)
    {
        Connection = connection;
        Transaction = transaction;
        Key = key;
    }

    /// <summary>The open connection of the inbox transaction; run the handler's commands on it.</summary>
    public NpgsqlConnection Connection { get; }

    /// <summary>The transaction that also marks the record processed: commands in it commit with the mark, or not at all.</summary>
    public NpgsqlTransaction Transaction { get; }

    /// <summary>The record's deduplication key, as written in the processed mark.</summary>
    public string Key { get; }

    /// <summary>A command on <see cref="Connection"/> enlisted in <see cref="Transaction"/>.</summary>
    public NpgsqlCommand CreateCommand(string commandText) => new(commandText, Connection, Transaction);

    internal async ValueTask CloseAsync()
    {
        await Transaction.DisposeAsync().ConfigureAwait(false);
        await Connection.DisposeAsync().ConfigureAwait(false);
    }
}
