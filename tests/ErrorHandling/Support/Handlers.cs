using KafkaPipeline.ErrorHandling.Attributes;

namespace KafkaPipeline.ErrorHandling.Tests.Support;

public sealed record Order(int Id);

public sealed class PlainOrderHandler : IMessageHandler<Order>
{
    public ValueTask HandleAsync(Order message, ConsumeContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

[FixedBackOff(100, 1)]
[NotRetryable(typeof(TimeoutException))]
[DeadLetterTopic("payments-poison")]
public sealed class AttributedPaymentHandler : IMessageHandler<Order>
{
    public ValueTask HandleAsync(Order message, ConsumeContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

[NoRetries]
public sealed class NoRetriesHandler : IMessageHandler<Order>
{
    public ValueTask HandleAsync(Order message, ConsumeContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

[NoRetries]
[ExponentialBackOff(1000)]
public sealed class TwoBackOffsHandler : IMessageHandler<Order>
{
    public ValueTask HandleAsync(Order message, ConsumeContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

[DeadLetterTopic("no/slashes")]
[NotRetryable(typeof(string))]
public sealed class BrokenAttributesHandler : IMessageHandler<Order>
{
    public ValueTask HandleAsync(Order message, ConsumeContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

[ExponentialBackOff(500, 2.0, 4000, MaxAttempts = 3)]
[Retryable(typeof(InvalidCastException))]
public sealed class ExponentialHandler : IMessageHandler<Order>
{
    public ValueTask HandleAsync(Order message, ConsumeContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
