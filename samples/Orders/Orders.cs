using KafkaPipeline.Handlers;

namespace KafkaPipeline.Samples.Orders;

public sealed record OrderPlaced(string OrderId, string Customer, decimal Amount);

/// <summary>A business rule violation: retrying cannot help, so it is configured as not retryable.</summary>
public sealed class InvalidOrderException(string message) : Exception(message);

/// <summary>Charges orders. A flaky downstream makes some orders fail once; negative amounts are invalid.</summary>
[KafkaHandler("orders", GroupId = "billing")]
public sealed class BillingHandler(SampleStats stats) : IMessageHandler<OrderPlaced>
{
    public ValueTask HandleAsync(OrderPlaced order, ConsumeContext context, CancellationToken cancellationToken)
    {
        if (order.Amount < 0)
        {
            throw new InvalidOrderException($"Order {order.OrderId} has a negative amount {order.Amount}.");
        }

        if (order.OrderId.EndsWith("-flaky", StringComparison.Ordinal) && context.DeliveryAttempt == 1)
        {
            throw new TimeoutException($"Payment service timed out for {order.OrderId} (first attempt).");
        }

        stats.Processed("billing", context.DeliveryAttempt);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A second consumer group reading the same topic.</summary>
[KafkaHandler("orders", GroupId = "shipping")]
public sealed class ShippingHandler(SampleStats stats) : IMessageHandler<OrderPlaced>
{
    public ValueTask HandleAsync(OrderPlaced order, ConsumeContext context, CancellationToken cancellationToken)
    {
        stats.Processed("shipping", context.DeliveryAttempt);
        return ValueTask.CompletedTask;
    }
}
