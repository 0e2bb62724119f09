using System.Collections.Concurrent;
using KafkaPipeline.Handlers;
using KafkaPipeline.RetryTopics;
using KafkaPipeline.RetryTopics.Configuration;

namespace KafkaPipeline.Samples.RetryTopics;

public sealed record Shipment(string Order, int Step);

/// <summary>What the sample saw, for the summary.</summary>
public sealed class Journal
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ConcurrentDictionary<string, List<int>> StepsByOrder { get; } = new();

    public int DeadLettered;

    public void Write(string line)
    {
        Lines.Enqueue(line);
        Console.WriteLine(line);
    }
}

/// <summary>
/// Books shipments with a carrier that is down for a while for some orders. Failures go to retry topics (1 s, then 2 s),
/// the main topic moves on; key-ordered: a later step of the same order follows its failed step instead of overtaking it.
/// After three attempts a shipment goes to the DLT, where <see cref="ShipmentDeadLetters"/> reads it.
/// </summary>
[KafkaHandler("shipments", GroupId = "shipping", Ordering = Options.OrderingMode.Key)]
[RetryableTopic(Attempts = 3, DelayMs = 1000, Multiplier = 2, KeyOrdered = true, AutoCreateTopics = false, DltHandler = typeof(ShipmentDeadLetters))]
public sealed class ShippingHandler(Journal journal) : IMessageHandler<Shipment>
{
    public ValueTask HandleAsync(Shipment shipment, ConsumeContext context, CancellationToken cancellationToken)
    {
        var attempt = RetryTopicHeaders.AttemptsOf(context.Record.Message.Headers);
        if (shipment.Order == "order-3" && shipment.Step == 1 && attempt < 3)
        {
            throw new TimeoutException($"carrier timed out booking {shipment.Order} step {shipment.Step}");
        }

        if (shipment.Order == "order-7" && shipment.Step == 0)
        {
            throw new InvalidOperationException($"carrier refuses {shipment.Order}: address unknown");
        }

        journal.StepsByOrder.GetOrAdd(shipment.Order, _ => []).Add(shipment.Step);
        journal.Write($"shipped {shipment.Order} step {shipment.Step} from {context.Topic} (attempt {attempt})");
        return ValueTask.CompletedTask;
    }
}

/// <summary>Spring's <c>@DltHandler</c>: reads the DLT in group <c>shipping-dlt</c>.</summary>
public sealed class ShipmentDeadLetters(Journal journal) : IMessageHandler<Shipment>
{
    public ValueTask HandleAsync(Shipment shipment, ConsumeContext context, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref journal.DeadLettered);
        journal.Write($"DEAD LETTER {shipment.Order} step {shipment.Step} from {context.Topic}");
        return ValueTask.CompletedTask;
    }
}
