using KafkaPipeline.ErrorHandling;

namespace KafkaPipeline.Samples.Orders;

/// <summary>Prints one line per failed delivery and per dead letter, instead of log stack traces.</summary>
public sealed class ConsoleRetryListener : IRetryListener
{
    public void FailedDelivery(ConsumeContext context, Exception exception, int attempt) =>
        Console.WriteLine($"  [{context.GroupId}] {context} failed (attempt {attempt}): {exception.GetType().Name}");

    public void Recovered(ConsumeContext context, Exception exception) =>
        Console.WriteLine($"  [{context.GroupId}] {context} dead-lettered to {context.Topic}-dlt");

    public void RecoveryFailed(ConsumeContext context, Exception exception, Exception failure) =>
        Console.WriteLine($"  [{context.GroupId}] {context} could not be dead-lettered yet ({failure.Message}); it will be retried");
}
