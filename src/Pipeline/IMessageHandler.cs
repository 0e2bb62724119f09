namespace KafkaPipeline;

/// <summary>
/// Handles deserialized messages of type <typeparamref name="TMessage"/>. Resolved from a new DI scope
/// for every record. Declare the parameter nullable (<c>Order?</c>) to receive tombstones (null values).
/// </summary>
public interface IMessageHandler<in TMessage>
{
    ValueTask HandleAsync(TMessage message, ConsumeContext context, CancellationToken cancellationToken);
}
