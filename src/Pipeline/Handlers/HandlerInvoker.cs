using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.Handlers;

/// <summary>Calls a typed handler without per-record reflection; one closed instance per handler.</summary>
internal abstract class HandlerInvoker
{
    public static HandlerInvoker Create(Type handlerType, Type messageType) =>
        (HandlerInvoker)Activator.CreateInstance(typeof(HandlerInvoker<>).MakeGenericType(messageType), handlerType)!;

    public abstract ValueTask InvokeAsync(ConsumeContext context);
}

internal sealed class HandlerInvoker<TMessage>(Type handlerType) : HandlerInvoker
{
    public override ValueTask InvokeAsync(ConsumeContext context)
    {
        // Resolved by concrete type: two groups may each have a handler for the same message type.
        var handler = (IMessageHandler<TMessage>)context.Services.GetRequiredService(handlerType);
        return handler.HandleAsync((TMessage)context.Message!, context, context.CancellationToken);
    }
}
