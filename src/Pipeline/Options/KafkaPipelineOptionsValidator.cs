using KafkaPipeline.Configuration;
using KafkaPipeline.DependencyInjection;
using KafkaPipeline.Handlers;
using KafkaPipeline.Native;
using KafkaPipeline.Serialization;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.Options;

/// <summary>Validates options and handler registrations together at host start; one failure lists every problem.</summary>
internal sealed class KafkaPipelineOptionsValidator(KafkaPipelineRegistry registry, MessageDeserializerRegistry deserializers)
    : IValidateOptions<KafkaPipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaPipelineOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            errors.Add("Kafka:BootstrapServers is not set. Fix: set it in configuration (e.g. \"Kafka\": { \"BootstrapServers\": \"localhost:9092\" }) "
                + "or in AddKafkaPipeline(o => o.BootstrapServers = ...).");
        }

        if (string.IsNullOrWhiteSpace(options.MessageTypeHeader))
        {
            errors.Add("Kafka:MessageTypeHeader is empty. Fix: remove it to use the default 'message-type' or set a header name.");
        }

        if (registry.Configuration is { } configuration)
        {
            StrictConfiguration.Check(configuration, registry, errors);
        }

        LibrdkafkaSettings.Validate(options.Client, $"{Prefix}:Client", errors);
        foreach (var (groupId, consumer) in options.Consumers)
        {
            ValidateConsumer(groupId, consumer, errors);
            LibrdkafkaSettings.Validate(consumer.Client, $"{Prefix}:Consumers:{groupId}:Client", errors);
        }

        var consumers = HandlerCatalog.Build(options, registry.Handlers, deserializers.Contains, errors);
        var groups = consumers.Select(c => c.GroupId).ToHashSet(StringComparer.Ordinal);
        foreach (var groupId in options.Consumers.Keys.Where(g => !groups.Contains(g)).Order(StringComparer.Ordinal))
        {
            errors.Add($"{Prefix}:Consumers:{groupId} configures group '{groupId}', but no handler is registered for that group. Fix: correct the "
                + $"group id (groups with handlers: {(groups.Count == 0 ? "none" : string.Join(", ", groups.Order(StringComparer.Ordinal)))}), register a handler "
                + "with that GroupId, or remove the section.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>The configuration path of the pipeline's section (<c>Kafka</c> when configured in code).</summary>
    private string Prefix => registry.Configuration is { } configuration && ConfigurationSchema.PathOf(configuration) is { Length: > 0 } path
        ? path
        : KafkaPipelineOptions.SectionName;

    private void ValidateConsumer(string groupId, KafkaConsumerOptions consumer, List<string> errors)
    {
        var prefix = $"{Prefix}:Consumers:{groupId}";
        if (consumer.PollTimeout <= TimeSpan.Zero || consumer.PollTimeout > TimeSpan.FromSeconds(10))
        {
            errors.Add($"{prefix}:PollTimeout is {consumer.PollTimeout}. Fix: use a value between 1 ms and 10 s (default 100 ms).");
        }

        if (consumer.ShutdownTimeout < TimeSpan.Zero)
        {
            errors.Add($"{prefix}:ShutdownTimeout is negative. Fix: use zero or more (default 20 s).");
        }

        if (consumer.RevokeTimeout < TimeSpan.Zero || consumer.RevokeTimeout > TimeSpan.FromMinutes(4))
        {
            errors.Add($"{prefix}:RevokeTimeout is {consumer.RevokeTimeout}. Fix: use 0 to 4 minutes, below max.poll.interval.ms (default 10 s).");
        }

        if (consumer.Ordering is { } ordering && !Enum.IsDefined(ordering))
        {
            errors.Add($"{prefix}:Ordering '{ordering}' is unknown. Fix: use Partition, Key or Unordered.");
        }

        if (consumer.MaxBufferedRecords < 1)
        {
            errors.Add($"{prefix}:MaxBufferedRecords is {consumer.MaxBufferedRecords}. Fix: use 1 or more (default 10000).");
        }

        if (consumer.MaxBufferedBytes < 1024)
        {
            errors.Add($"{prefix}:MaxBufferedBytes is {consumer.MaxBufferedBytes}. Fix: use 1024 or more (default 33554432, 32 MiB).");
        }

        if (consumer.AutoCommitInterval <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}:AutoCommitInterval must be positive (default 5 s).");
        }

        if (!Enum.IsDefined(consumer.CommitMode))
        {
            errors.Add($"{prefix}:CommitMode '{consumer.CommitMode}' is unknown. Fix: use StoredOffsets or PerRecord.");
        }
    }
}
