using KafkaPipeline.Deduplication.PostgreSql.Inbox;

namespace KafkaPipeline.Guarantees.Consumer;

public sealed record GuaranteeMessage(string Id, bool Poison);

/// <summary>A record that can never be handled: not retryable, it goes to the dead-letter topic.</summary>
public sealed class PoisonException(string id) : Exception($"poison record {id}");

/// <summary>Records the call, fails poison records, writes the effect; crashes inside the handler when asked.</summary>
public sealed class GuaranteeHandler(Ledger ledger, GuaranteeRun run) : IMessageHandler<GuaranteeMessage>
{
    public async ValueTask HandleAsync(GuaranteeMessage message, ConsumeContext context, CancellationToken cancellationToken)
    {
        await ledger.RecordCallAsync(context, message.Id, cancellationToken);
        if (message.Poison)
        {
            throw new PoisonException(message.Id);
        }

        // The effect: in the inbox transaction (commits with the processed mark) or on its own (auto-commit).
        await using var command = run.Store == "inbox" ? context.GetInboxTransaction().CreateCommand(string.Empty) : ledger.CreateCommand();
        await ledger.WriteEffectAsync(command, message.Id, cancellationToken);

        // "During the handler": the effect is written (committed unless in the inbox), the handler has not returned.
        await run.CrashIfAsync("during-handler", context);
    }
}
