namespace KafkaPipeline.Handlers;

/// <summary>One handler as registered, before validation. Collected by the builder.</summary>
public sealed record HandlerRegistration(
    Type HandlerType,
    string Topic,
    string? GroupId,
    Type? MessageType,
    string? MessageTypeName,
    string Source);
