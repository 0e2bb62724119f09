using KafkaPipeline.Options;

namespace KafkaPipeline.Handlers;

/// <summary>One handler as registered, before validation. Collected by the builder.</summary>
internal sealed record HandlerRegistration(
    Type HandlerType,
    string Topic,
    string? GroupId,
    Type? MessageType,
    string? MessageTypeName,
    string Source)
{
    /// <summary>The ordering the registration asks for (<c>[KafkaHandler(Ordering = …)]</c>), if any.</summary>
    public OrderingMode? Ordering { get; init; }

    /// <summary>The concurrency the registration asks for (<c>[KafkaHandler(MaxConcurrency = …)]</c>), if any.</summary>
    public int? MaxConcurrency { get; init; }
}
