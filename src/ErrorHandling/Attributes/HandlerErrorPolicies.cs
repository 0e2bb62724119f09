using KafkaPipeline.ErrorHandling.Classification;
using KafkaPipeline.Handlers;

namespace KafkaPipeline.ErrorHandling.Attributes;

/// <summary>
/// The attribute policies of one consumer's handlers, looked up per record: by the record's handler when the
/// pipeline already chose it, else by topic (the first handler of the topic, in ordinal type-name order, that has a policy).
/// </summary>
internal sealed class HandlerErrorPolicies
{
    private readonly Dictionary<HandlerDescriptor, HandlerErrorPolicy> _byHandler = [];
    private readonly Dictionary<string, HandlerErrorPolicy> _byTopic = new(StringComparer.Ordinal);

    private HandlerErrorPolicies()
    {
    }

    public bool IsEmpty => _byHandler.Count == 0;

    public static HandlerErrorPolicies Build(IEnumerable<HandlerDescriptor> handlers, ExceptionClassifier consumerClassifier, ICollection<string> errors)
    {
        var policies = new HandlerErrorPolicies();
        foreach (var handler in handlers.OrderBy(h => h.HandlerType.FullName, StringComparer.Ordinal))
        {
            var where = $"{handler.HandlerType.FullName} (topic '{handler.Topic}', group '{handler.GroupId}')";
            if (HandlerErrorPolicy.From(where, [.. handler.GetAttributes<Attribute>()], consumerClassifier, errors) is { } policy)
            {
                policies._byHandler[handler] = policy;
                policies._byTopic.TryAdd(handler.Topic, policy);
            }
        }

        return policies;
    }

    public HandlerErrorPolicy? For(ConsumeContext context) =>
        context.Handler is { } handler
            ? _byHandler.GetValueOrDefault(handler)
            : _byTopic.GetValueOrDefault(context.Topic);
}
