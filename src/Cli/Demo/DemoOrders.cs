using System.Text.Json;
using KafkaPipeline.DeadLetters.Replay;

namespace KafkaPipeline.Cli.Demo;

/// <summary>An order of the demo shop.</summary>
internal sealed record DemoOrder(string OrderId, string Customer, decimal Amount, string Currency);

/// <summary>A business rule violation; configured as not retryable, so it is dead-lettered on the first failure.</summary>
internal sealed class InvalidOrderException(string message) : Exception(message);

/// <summary>The payment provider refused the currency; retried, then dead-lettered.</summary>
internal sealed class PaymentDeclinedException(string message) : Exception(message);

/// <summary>What the demo's billing handler does; <see cref="Fixed"/> flips when the "fix is deployed".</summary>
internal sealed class DemoBilling
{
    private int _processed;
    private int _processedAfterReplay;

    public volatile bool Fixed;

    public int Processed => Volatile.Read(ref _processed);

    public int ProcessedAfterReplay => Volatile.Read(ref _processedAfterReplay);

    public void Charge(DemoOrder order, ConsumeContext context)
    {
        if (!Fixed && order.Amount < 0)
        {
            throw new InvalidOrderException($"Order {order.OrderId} has a negative amount {order.Amount} (refunds are not supported yet).");
        }

        if (!Fixed && order.Currency != "EUR")
        {
            throw new PaymentDeclinedException($"Payment provider declined order {order.OrderId}: currency {order.Currency} is not enabled for this merchant.");
        }

        Interlocked.Increment(ref _processed);
        if (ReplayHeaders.ReadCount(context.Headers) > 0)
        {
            Interlocked.Increment(ref _processedAfterReplay);
        }
    }
}

/// <summary>The demo's handler of <c>orders</c> in group <c>billing</c>.</summary>
internal sealed class DemoBillingHandler(DemoBilling billing) : IMessageHandler<DemoOrder>
{
    public ValueTask HandleAsync(DemoOrder message, ConsumeContext context, CancellationToken cancellationToken)
    {
        billing.Charge(message, context);
        return ValueTask.CompletedTask;
    }
}

/// <summary>The records the demo produces: mostly good orders, some invalid, some declined, some malformed JSON.</summary>
internal static class DemoRecords
{
    public static readonly string[] Customers = ["ada", "grace", "linus", "barbara", "ken", "margaret"];

    /// <summary>(key, value) pairs; <paramref name="deadLetters"/> is how many will fail for good before the fix.</summary>
    public static List<(string Key, string Value)> Create(out int deadLetters)
    {
        var records = new List<(string, string)>();
        deadLetters = 0;
        for (var i = 1; i <= 24; i++)
        {
            var customer = Customers[i % Customers.Length];
            var amount = i is 5 or 14 or 21 ? -10m * i : 10m * i;
            var currency = i is 9 or 17 ? "XTS" : "EUR";
            deadLetters += amount < 0 || currency != "EUR" ? 1 : 0;
            records.Add((customer, JsonSerializer.Serialize(new DemoOrder($"o-{i}", customer, amount, currency), JsonSerializerOptions.Web)));
        }

        records.Insert(7, ("ken", "{\"orderId\": \"o-broken\", \"amount\": "));
        records.Insert(19, ("grace", "not json at all"));
        deadLetters += 2;
        return records;
    }
}
