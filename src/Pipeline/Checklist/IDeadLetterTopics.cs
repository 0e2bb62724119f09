namespace KafkaPipeline.Checklist;

/// <summary>
/// Implemented by error handlers and recoverers that publish to dead-letter topics, so the no-loss checklist checks those
/// topics too. The topics a consumer's records go to by default (routes by exception type included; a handler's own
/// dead-letter topic or a destination resolver may add others at run time).
/// </summary>
internal interface IDeadLetterTopics
{
    IEnumerable<string> DeadLetterTopics(ConsumerDescriptor consumer);
}
