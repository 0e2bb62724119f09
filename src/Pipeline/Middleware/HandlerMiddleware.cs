namespace KafkaPipeline.Middleware;

/// <summary>Calls the record's handler (resolved from the record's DI scope), then the rest of the pipeline.</summary>
/// <remarks>
/// Not an async method: when the handler completes synchronously (the common case) no state machine runs.
/// Exceptions still surface through the returned task, as they would from an async method.
/// </remarks>
internal sealed class HandlerMiddleware(ConsumerDescriptor consumer) : IConsumeMiddleware
{
    public ValueTask InvokeAsync(ConsumeContext context, ConsumeDelegate next)
    {
        try
        {
            if (!context.IsDuplicate)
            {
                var handler = context.Handler ??= consumer.Route(context);
                if (!context.IsDeserialized)
                {
                    throw new InvalidOperationException(
                        $"The pipeline of group '{consumer.GroupId}' reached the handler of {context} without a deserialization step. Add UseDeserialization() before UseHandler().");
                }

                var handled = handler.Invoker.InvokeAsync(context);
                if (!handled.IsCompletedSuccessfully)
                {
                    return HandleThenNextAsync(handled, context, next);
                }

                handled.GetAwaiter().GetResult(); // completes the task's source, as an await would
            }

            return next(context);
        }
        catch (Exception ex)
        {
            return ValueTask.FromException(ex);
        }
    }

    private static async ValueTask HandleThenNextAsync(ValueTask handled, ConsumeContext context, ConsumeDelegate next)
    {
        await handled.ConfigureAwait(false);
        await next(context).ConfigureAwait(false);
    }
}
