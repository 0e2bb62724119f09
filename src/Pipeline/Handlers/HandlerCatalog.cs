using System.Reflection;
using System.Text.RegularExpressions;
using KafkaPipeline.Options;
using KafkaPipeline.Serialization;

namespace KafkaPipeline.Handlers;

/// <summary>
/// Turns handler registrations and options into consumers, collecting every configuration problem with
/// the option at fault and the fix.
/// </summary>
internal static partial class HandlerCatalog
{
    public static IReadOnlyList<ConsumerDescriptor> Build(
        KafkaPipelineOptions options,
        IReadOnlyList<HandlerRegistration> registrations,
        Func<Type, bool> hasCustomDeserializer,
        List<string> errors)
    {
        if (registrations.Count == 0)
        {
            errors.Add("No Kafka handlers are registered. Fix: mark IMessageHandler<T> classes with [KafkaHandler(\"topic\")] and call AddHandlersFromAssembly(...), or call AddHandler<T>(\"topic\").");
        }

        var handlers = new List<HandlerDescriptor>();
        foreach (var registration in registrations)
        {
            if (Describe(registration, options, hasCustomDeserializer, errors) is { } descriptor)
            {
                handlers.Add(descriptor);
            }
        }

        foreach (var clash in handlers.GroupBy(h => (h.GroupId, h.Topic, h.MessageTypeName)).Where(g => g.Count() > 1))
        {
            errors.Add($"Topic '{clash.Key.Topic}' has several handlers for message type '{clash.Key.MessageTypeName}' in group '{clash.Key.GroupId}': "
                + $"{string.Join(", ", clash.Select(h => h.HandlerType.FullName))}. Fix: keep one handler per topic and type in a group, or give them different GroupIds.");
        }

        return [.. handlers.GroupBy(h => h.GroupId, StringComparer.Ordinal)
            .Select(g => CreateConsumer(g.Key, [.. g], options, registrations, errors))];
    }

    private static ConsumerDescriptor CreateConsumer(
        string groupId, List<HandlerDescriptor> handlers, KafkaPipelineOptions options, IReadOnlyList<HandlerRegistration> registrations, List<string> errors)
    {
        var consumer = options.ForGroup(groupId);
        var mine = registrations.Where(r => (r.GroupId ?? options.DefaultGroupId) == groupId).ToList();
        var ordering = consumer.Ordering ?? Agreed(groupId, mine, r => r.Ordering, "Ordering", errors) ?? OrderingMode.Partition;
        var concurrency = consumer.MaxConcurrency ?? Agreed(groupId, mine, r => r.MaxConcurrency, "MaxConcurrency", errors) ?? KafkaConsumerOptions.DefaultMaxConcurrency;
        if (concurrency is < 1 or > MaxConcurrencyLimit)
        {
            errors.Add($"Kafka:Consumers:{groupId}:MaxConcurrency is {concurrency}. Fix: use 1 to {MaxConcurrencyLimit} (default {KafkaConsumerOptions.DefaultMaxConcurrency}).");
        }

        return new ConsumerDescriptor(groupId, handlers, consumer, options.MessageTypeHeader, ordering, concurrency);
    }

    /// <summary>Records in flight one consumer may run at most.</summary>
    internal const int MaxConcurrencyLimit = 10_000;

    /// <summary>The value the group's handlers ask for through their attributes; they must agree.</summary>
    private static T? Agreed<T>(string groupId, List<HandlerRegistration> registrations, Func<HandlerRegistration, T?> read, string name, List<string> errors)
        where T : struct
    {
        var asked = registrations.Where(r => read(r) is not null).Select(r => (r.HandlerType, Value: read(r)!.Value)).Distinct().ToList();
        if (asked.Select(a => a.Value).Distinct().Count() > 1)
        {
            errors.Add($"The handlers of group '{groupId}' ask for different {name} values: "
                + string.Join(", ", asked.Select(a => $"{a.HandlerType.Name} ({a.Value})"))
                + $". Fix: give them the same [KafkaHandler({name} = …)] or set Kafka:Consumers:{groupId}:{name}.");
            return null;
        }

        return asked.Count > 0 ? asked[0].Value : null;
    }

    private static HandlerDescriptor? Describe(HandlerRegistration r, KafkaPipelineOptions options, Func<Type, bool> hasCustomDeserializer, List<string> errors)
    {
        var where = $"{r.HandlerType.FullName} ({r.Source})";
        var ok = true;
        if (!IsValidTopic(r.Topic))
        {
            errors.Add($"{where}: topic name '{r.Topic}' is invalid. Fix: use 1-249 characters from [a-zA-Z0-9._-], not '.' or '..'.");
            ok = false;
        }

        var groupId = r.GroupId ?? options.DefaultGroupId;
        if (string.IsNullOrWhiteSpace(groupId))
        {
            errors.Add($"{where}: no consumer group for topic '{r.Topic}'. Fix: set [KafkaHandler(\"{r.Topic}\", GroupId = \"...\")] or Kafka:DefaultGroupId.");
            ok = false;
        }

        var messageType = MessageTypeOf(r, where, errors);
        if (messageType is null || !ok)
        {
            return null;
        }

        if (DeserializerSelector.NeedsCustomDeserializer(messageType) && !hasCustomDeserializer(messageType))
        {
            errors.Add($"{where}: message type {messageType.FullName} is abstract, an interface or open generic, so it cannot be deserialized. "
                + "Fix: handle a concrete type, or register a deserializer for it with AddDeserializer<T>(...).");
            return null;
        }

        return new HandlerDescriptor(r.HandlerType, messageType, r.Topic, groupId!, r.MessageTypeName ?? messageType.Name, AcceptsNull(r.HandlerType, messageType));
    }

    private static Type? MessageTypeOf(HandlerRegistration r, string where, List<string> errors)
    {
        if (r.HandlerType.IsAbstract || r.HandlerType.IsInterface || r.HandlerType.ContainsGenericParameters)
        {
            errors.Add($"{where}: a handler must be a concrete, non-generic class. Fix: register the concrete handler class.");
            return null;
        }

        var handled = r.HandlerType.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IMessageHandler<>))
            .Select(i => i.GetGenericArguments()[0])
            .ToList();
        if (r.MessageType is not null)
        {
            if (handled.Contains(r.MessageType))
            {
                return r.MessageType;
            }

            errors.Add($"{where}: MessageType {r.MessageType.FullName} is unknown to this handler: it implements no IMessageHandler<{r.MessageType.Name}>. "
                + "Fix: implement that interface or name one of: " + string.Join(", ", handled.Select(t => t.Name)) + ".");
            return null;
        }

        switch (handled.Count)
        {
            case 1:
                return handled[0];
            case 0:
                errors.Add($"{where}: the class implements no IMessageHandler<T>, so its message type is unknown. Fix: implement IMessageHandler<YourMessage>.");
                return null;
            default:
                errors.Add($"{where}: the class handles several message types ({string.Join(", ", handled.Select(t => t.Name))}). "
                    + "Fix: set MessageType on [KafkaHandler] (one attribute per type) or in AddHandler.");
                return null;
        }
    }

    private static bool AcceptsNull(Type handlerType, Type messageType)
    {
        if (Nullable.GetUnderlyingType(messageType) is not null)
        {
            return true;
        }

        if (messageType.IsValueType)
        {
            return false;
        }

        var map = handlerType.GetInterfaceMap(typeof(IMessageHandler<>).MakeGenericType(messageType));
        var parameter = map.TargetMethods[0].GetParameters()[0];
        return new NullabilityInfoContext().Create(parameter).ReadState != NullabilityState.NotNull;
    }

    public static bool IsValidTopic(string? topic) => topic is not null and not "." and not ".." && TopicName().IsMatch(topic);

    [GeneratedRegex("^[a-zA-Z0-9._-]{1,249}$")]
    private static partial Regex TopicName();
}
