using KafkaPipeline.Deduplication.PostgreSql.Inbox;

namespace KafkaPipeline.Samples.Payments;

/// <summary>A payment to charge; <see cref="Id"/> is also the record's <c>message-id</c> header (the dedup key).</summary>
public sealed record Payment(string Id, string Account, decimal Amount);

/// <summary>Charges a payment: one ledger row, written in the inbox transaction so it commits with the processed mark.</summary>
public sealed class ChargeHandler(Ledger ledger) : IMessageHandler<Payment>
{
    public async ValueTask HandleAsync(Payment payment, ConsumeContext context, CancellationToken cancellationToken)
    {
        var inbox = context.GetInboxTransaction();
        await using var charge = inbox.CreateCommand(
            $"INSERT INTO {Ledger.Charges} (run_id, payment_id, account, amount, pid) VALUES ($1, $2, $3, $4, $5)");
        charge.Parameters.AddWithValue(ledger.RunId);
        charge.Parameters.AddWithValue(payment.Id);
        charge.Parameters.AddWithValue(payment.Account);
        charge.Parameters.AddWithValue(payment.Amount);
        charge.Parameters.AddWithValue(Environment.ProcessId);
        await charge.ExecuteNonQueryAsync(cancellationToken); // commits with the processed mark, or not at all
        Console.WriteLine($"  [consumer {Environment.ProcessId}] charged {payment.Id}: {payment.Amount:0.00} to {payment.Account}");
    }
}
