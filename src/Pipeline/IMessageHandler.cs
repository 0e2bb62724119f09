namespace KafkaPipeline;

/// <summary>
/// Handles deserialized messages of type <typeparamref name="TMessage"/>. Resolved from a new DI scope
/// for every record. Declare the parameter nullable (<c>Order?</c>) to receive tombstones (null values).
/// </summary>
public interface IMessageHandler<in TMessage>
{
    /// <summary>Handles one record's <paramref name="message"/>; throwing hands the failure to the error handler (retry, dead letter). <paramref name="cancellationToken"/> is cancelled when the record must stop (shutdown or revoke timeout).</summary>
    ValueTask HandleAsync(TMessage message, ConsumeContext context, CancellationToken cancellationToken);
}
