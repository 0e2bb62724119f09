namespace KafkaPipeline.Snippets.Tests;

/// <summary>
/// The reader's own types the documentation's snippets use (messages, application services, exceptions), compiled with
/// every snippet. Library types are never stubbed: a snippet that names one must compile against the real assembly.
/// </summary>
public static class Stubs
{
    public const string Code = """
        public sealed record OrderPlaced(string OrderId, decimal Amount);
        public sealed record Payment(string Id, decimal Amount);
        public interface IBilling { System.Threading.Tasks.ValueTask ChargeAsync(OrderPlaced order, System.Threading.CancellationToken cancellationToken); }
        public sealed class ValidationException(string message) : System.Exception(message);
        public sealed class CardDeclinedException(string message) : System.Exception(message);
        public sealed class InvalidOrderException(string message) : System.Exception(message);
        public sealed class AuditHandler : KafkaPipeline.IMessageHandler<OrderPlaced>
        {
            public System.Threading.Tasks.ValueTask HandleAsync(OrderPlaced message, KafkaPipeline.ConsumeContext context, System.Threading.CancellationToken cancellationToken) => default;
        }
        """;
}
