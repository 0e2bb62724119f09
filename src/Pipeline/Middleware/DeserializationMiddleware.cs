using KafkaPipeline.Serialization;

namespace KafkaPipeline.Middleware;

/// <summary>
/// Selects the record's handler and deserializes the value into its message type. Failures become a
/// <see cref="DeserializationException"/> carrying the raw bytes and coordinates.
/// </summary>
internal sealed class DeserializationMiddleware(ConsumerDescriptor consumer) : IConsumeMiddleware
{
    public ValueTask InvokeAsync(ConsumeContext context, ConsumeDelegate next)
    {
        var handler = context.Handler ??= consumer.Route(context);
        if (!context.IsDeserialized)
        {
            var value = context.Value;
            if (value is null)
            {
                if (!handler.AcceptsNull)
                {
                    throw new DeserializationException(
                        $"{context} is a tombstone (null value) but {handler.HandlerType.Name} takes a non-nullable {handler.MessageType.Name}. "
                        + $"Declare the parameter as {handler.MessageType.Name}? to receive tombstones.",
                        context,
                        handler.MessageType);
                }

                context.Message = null;
            }
            else
            {
                context.Message = Deserialize(handler, value, context);
            }

            context.IsDeserialized = true;
        }

        return next(context);
    }

    private static object? Deserialize(Handlers.HandlerDescriptor handler, byte[] value, ConsumeContext context)
    {
        object? message;
        try
        {
            message = handler.Deserializer.Deserialize(value, context);
        }
        catch (Exception ex)
        {
            throw new DeserializationException(
                $"Could not deserialize {context} ({value.Length} bytes) as {handler.MessageType.FullName}: {ex.Message}",
                context,
                handler.MessageType,
                ex);
        }

        if (message is null && !handler.AcceptsNull)
        {
            throw new DeserializationException(
                $"{context} deserialized to null but {handler.HandlerType.Name} takes a non-nullable {handler.MessageType.Name}.",
                context,
                handler.MessageType);
        }

        return message;
    }
}
