using System.Diagnostics.CodeAnalysis;

namespace KafkaPipeline.Deduplication.PostgreSql.Inbox;

/// <summary>Access to the inbox transaction of the record being handled.</summary>
public static class InboxConsumeContextExtensions
{
    internal const string ItemKey = "KafkaPipeline.Deduplication.PostgreSql.InboxTransaction";

    /// <summary>The record's inbox transaction.</summary>
    /// <exception cref="InvalidOperationException">The pipeline has no inbox step before this point, or the record is a duplicate.</exception>
    public static InboxTransaction GetInboxTransaction(this ConsumeContext context) =>
        TryGetInboxTransaction(context, out var transaction)
            ? transaction
            : throw new InvalidOperationException(
                $"No inbox transaction for {context}: add UsePostgreSqlInbox() to the pipeline of group '{context.GroupId}' before the handler " +
                "(and AddPostgreSqlInbox(...) on AddKafkaPipeline). Duplicates (context.IsDuplicate) have none: the handler is skipped for them.");

    /// <summary>The record's inbox transaction, if the inbox step opened one.</summary>
    public static bool TryGetInboxTransaction(this ConsumeContext context, [NotNullWhen(true)] out InboxTransaction? transaction)
    {
        ArgumentNullException.ThrowIfNull(context);
        transaction = context.Items.TryGetValue(ItemKey, out var item) ? item as InboxTransaction : null;
        return transaction is not null;
    }
}
