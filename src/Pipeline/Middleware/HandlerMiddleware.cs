namespace KafkaPipeline.Middleware;

/// <summary>Calls the record's handler (resolved from the record's DI scope), then the rest of the pipeline.</summary>
internal sealed class HandlerMiddleware(ConsumerDescriptor consumer) : IConsumeMiddleware
{
    public async ValueTask InvokeAsync(ConsumeContext context, ConsumeDelegate next)
    {
        if (!context.IsDuplicate)
        {
            var handler = context.Handler ??= consumer.Route(context);
            if (!context.IsDeserialized)
            {
                throw new InvalidOperationException(
                    $"The pipeline of group '{consumer.GroupId}' reached the handler of {context} without a deserialization step. Add UseDeserialization() before UseHandler().");
            }

            await handler.Invoker.InvokeAsync(context).ConfigureAwait(false);
        }

        await next(context).ConfigureAwait(false);
    }
}
