using KafkaPipeline.ErrorHandling.Configuration;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>Validates the dead-letter producer's settings at host start; one failure lists every problem.</summary>
internal sealed class DeadLetterProducerOptionsValidator(ErrorHandlingSections sections) : IValidateOptions<DeadLetterProducerOptions>
{
    public ValidateOptionsResult Validate(string? name, DeadLetterProducerOptions options)
    {
        var errors = new List<string>();
        var path = sections.PathOf(ErrorHandlingSections.DeadLetterProducer);
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
