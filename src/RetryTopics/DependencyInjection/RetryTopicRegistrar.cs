using System.Reflection;
using KafkaPipeline.DependencyInjection;
using KafkaPipeline.Handlers;
using KafkaPipeline.Options;
using KafkaPipeline.RetryTopics.Configuration;
using KafkaPipeline.RetryTopics.Routing;
using KafkaPipeline.RetryTopics.Topology;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.RetryTopics.DependencyInjection;

/// <summary>
/// Runs at start, before the consumers are built: turns each handler registration that asks for retry topics into a
/// <see cref="RetryChain"/>, and adds the registrations that read its retry topics (the same handler, in Spring's
/// <c>&lt;group&gt;&lt;suffix&gt;</c> groups, or the main group when key-ordered) and its DLT (the DLT handler, if any).
/// Every consumer reading a chain's topic gets the retry-topic error handler. Problems are reported with the fix.
/// </summary>
internal static class RetryTopicRegistrar
{
    public static void Expand(IServiceProvider services, KafkaPipelineRegistry registry, KafkaPipelineOptions settings, List<string> errors)
    {
        var registration = services.GetRequiredService<RetryTopicsRegistration>();
        var chains = services.GetRequiredService<RetryChains>();
        var isService = services.GetService<IServiceProviderIsService>();
        foreach (var handler in registry.Handlers.ToList())
        {
            var groupId = handler.GroupId ?? settings.DefaultGroupId;
            if (string.IsNullOrWhiteSpace(groupId) || Options(registry, registration, groupId, handler, errors) is not { } options)
            {
                continue;
            }

            var path = $"Kafka:RetryTopics:{groupId} ({handler.HandlerType.Name}, topic '{handler.Topic}')";
            var count = errors.Count;
            options.Validate(path, errors);
            CheckKeyOrdered(options, handler, settings.ForGroup(groupId), path, errors);
            var classifier = DestinationResolver.CreateClassifier(options, path, errors);
            var topology = RetryTopology.Create(handler.Topic, options);
            foreach (var bad in topology.Topics.Where(t => !HandlerCatalog.IsValidTopic(t.Name)))
            {
                errors.Add($"{path}: derived topic name '{bad.Name}' is invalid. Fix: shorten the main topic or the suffixes (1-249 characters from [a-zA-Z0-9._-]).");
            }

            if (options.DltHandler is { } dltHandler && isService?.IsService(dltHandler) == false)
            {
                errors.Add($"{path}: DltHandler {dltHandler.FullName} is not registered. Fix: services.AddScoped<{dltHandler.Name}>(), or put it in [RetryableTopic(DltHandler = …)] before UseRetryTopics().");
            }

            var chain = new RetryChain(groupId, topology, new DestinationResolver(topology, classifier), handler.HandlerType);
            if (errors.Count > count)
            {
                continue;
            }

            if (!chains.TryAdd(chain, out var clash))
            {
                errors.Add($"{path}: topic '{clash}' already belongs to another retry chain. Fix: give one of the handlers other suffixes, or one chain per main topic.");
                continue;
            }

            AddRegistrations(registry, settings, chain, handler);
        }
    }

    /// <summary>The handler's options (attribute, then configuration, then code), or null when nothing asks for retry topics.</summary>
    private static RetryTopicOptions? Options(
        KafkaPipelineRegistry registry, RetryTopicsRegistration registration, string groupId, HandlerRegistration handler, List<string> errors)
    {
        var attribute = handler.HandlerType.GetCustomAttribute<RetryableTopicAttribute>(inherit: true);
        var section = registry.Configuration?.GetSection($"RetryTopics:{groupId}");
        var callbacks = new List<Action<RetryTopicOptions>>();
        var wanted = registration.Wants(groupId, handler.HandlerType, callbacks);
        if (attribute is null && section?.Exists() != true && !wanted)
        {
            return null;
        }

        var options = new RetryTopicOptions();
        attribute?.ApplyTo(options);
        try
        {
            section?.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            errors.Add($"Kafka:RetryTopics:{groupId}: {ex.Message} Fix: correct the value's format (time spans as 00:00:01, enums by name).");
        }

        registration.All.ForEach(c => c(options));
        callbacks.ForEach(c => c(options));
        return options;
    }

    private static void CheckKeyOrdered(RetryTopicOptions options, HandlerRegistration handler, KafkaConsumerOptions consumer, string path, List<string> errors)
    {
        if (!options.KeyOrdered)
        {
            return;
        }

        if (options.Attempts < 2)
        {
            errors.Add($"{path}: KeyOrdered needs retry topics but Attempts is {options.Attempts}. Fix: set Attempts to 2 or more, or turn KeyOrdered off.");
        }

        if ((consumer.Ordering ?? handler.Ordering) == OrderingMode.Unordered)
        {
            errors.Add($"{path}: KeyOrdered retry topics need the consumer's Ordering to be Partition or Key, not Unordered. Fix: change Ordering or turn KeyOrdered off.");
        }

        if (consumer.Client.TryGetValue("partition.assignment.strategy", out var strategy) && !string.Equals(strategy, "range", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{path}: KeyOrdered retry topics need partition.assignment.strategy 'range' (partition p of every topic on one member) but the consumer sets '{strategy}'. Fix: remove the setting.");
        }
    }

    private static void AddRegistrations(KafkaPipelineRegistry registry, KafkaPipelineOptions settings, RetryChain chain, HandlerRegistration main)
    {
        var groups = new HashSet<string>(StringComparer.Ordinal) { chain.GroupId };
        foreach (var topic in chain.Topology.RetryTopics)
        {
            var group = chain.GroupFor(topic);
            groups.Add(group);
            registry.Handlers.Add(new HandlerRegistration(main.HandlerType, topic.Name, group, main.MessageType, main.MessageTypeName, $"retry topic of {main.Source}")
            {
                Ordering = main.Ordering,
                MaxConcurrency = main.MaxConcurrency,
            });
        }

        if (chain.Options.DltHandler is { } dltHandler && chain.Topology.Dlt is { } dlt)
        {
            var group = chain.GroupFor(dlt);
            groups.Add(group);
            registry.Handlers.Add(new HandlerRegistration(dltHandler, dlt.Name, group, null, null, $"DLT handler of {main.Source}"));
        }

        if (chain.Options.KeyOrdered)
        {
            settings.Consumer(chain.GroupId).Client["partition.assignment.strategy"] = "range";
        }

        var pipeline = registry.Consumers.TryGetValue(chain.GroupId, out var own) ? own.Pipeline : null;
        foreach (var group in groups)
        {
            var setup = registry.Consumer(group);
            setup.ErrorHandler = RetryTopicErrorHandlerFactory.Create;
            if (pipeline is not null && setup.Pipeline.Count == 0)
            {
                setup.Pipeline.AddRange(pipeline); // the retry groups run the main group's own steps too
            }
        }
    }
}
