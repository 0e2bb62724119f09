using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Diagnostics;

/// <summary>Client logs, health and the no-loss checklist: event ids 1100-1199.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1100, Message = "librdkafka {Facility} ({Client}): {Message}")]
    public static partial void ClientLogLine(ILogger logger, LogLevel level, string client, string facility, string message);

    [LoggerMessage(EventId = 1101, Message = "Kafka client error ({Client}): {Reason} ({Code}); librdkafka retries by itself. Identical errors are summarised once a minute")]
    public static partial void ClientErrorTransient(ILogger logger, LogLevel level, string client, string reason, string code);

    [LoggerMessage(EventId = 1102, Message = "Kafka client ({Client}): \"{Message}\" repeated {Repeats} more time(s) in the last {Over}")]
    public static partial void ClientMessageRepeated(ILogger logger, LogLevel level, string client, string message, int repeats, TimeSpan over);

    [LoggerMessage(1110, LogLevel.Warning, "No-loss checklist: topic '{Topic}' ({Role}) {Problem}. Fix: {Fix}")]
    public static partial void TopicUnsafe(ILogger logger, string topic, string role, string problem, string fix);

    [LoggerMessage(1111, LogLevel.Information, "No-loss checklist passed for {Topics}: replication factor, min.insync.replicas and unclean.leader.election.enable are safe")]
    public static partial void ChecklistPassed(ILogger logger, string topics);

    [LoggerMessage(1112, LogLevel.Debug, "No-loss checklist: topic configurations could not be described ({Reason}); the min.insync.replicas and unclean.leader.election.enable checks were skipped")]
    public static partial void ChecklistConfigsSkipped(ILogger logger, string reason);

    [LoggerMessage(1113, LogLevel.Debug, "No-loss checklist skipped: {Reason}")]
    public static partial void ChecklistSkipped(ILogger logger, string reason);

    [LoggerMessage(1114, LogLevel.Debug, "No-loss checklist: topic '{Topic}' ({Role}) was not found; checked when it exists at the next start")]
    public static partial void ChecklistTopicMissing(ILogger logger, string topic, string role);
}
