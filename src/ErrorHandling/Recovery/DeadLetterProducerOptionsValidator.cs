using KafkaPipeline.Configuration;
using KafkaPipeline.ErrorHandling.Configuration;
using KafkaPipeline.Native;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>
/// Validates the dead-letter producer's settings at host start (unknown keys, values, librdkafka settings); one failure
/// lists every problem.
/// </summary>
internal sealed class DeadLetterProducerOptionsValidator(ErrorHandlingSections sections) : IValidateOptions<DeadLetterProducerOptions>
{
    public ValidateOptionsResult Validate(string? name, DeadLetterProducerOptions options)
    {
        var errors = new List<string>();
        var path = sections.PathOf(ErrorHandlingSections.DeadLetterProducer);
        if (sections.Get(ErrorHandlingSections.DeadLetterProducer) is { } section && section.Exists())
        {
            ConfigurationSchema.Check(section, typeof(DeadLetterProducerOptions), path, errors);
        }

        LibrdkafkaSettings.Validate(options.Client, $"{path}:Client", errors);
        if (options.DeliveryTimeout <= TimeSpan.Zero || options.DeliveryTimeout.TotalMilliseconds > int.MaxValue)
        {
            errors.Add($"{path}:DeliveryTimeout is {options.DeliveryTimeout}. Fix: use a positive duration below 24 days (default 30 s).");
        }

        if (options.FlushTimeout < TimeSpan.Zero)
        {
            errors.Add($"{path}:FlushTimeout is negative. Fix: use 0 or more (default 10 s).");
        }

        if (options.MetadataTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{path}:MetadataTimeout must be positive (default 5 s).");
        }

        if (options.MetadataCacheDuration < TimeSpan.Zero)
        {
            errors.Add($"{path}:MetadataCacheDuration is negative. Fix: use 0 (no cache) or more (default 5 min).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
