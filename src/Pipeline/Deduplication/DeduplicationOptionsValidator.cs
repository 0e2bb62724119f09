using Microsoft.Extensions.Options;

namespace KafkaPipeline.Deduplication;

/// <summary>Validates <see cref="DeduplicationOptions"/> at start; one failure lists every broken rule.</summary>
internal sealed class DeduplicationOptionsValidator : IValidateOptions<DeduplicationOptions>
{
    public ValidateOptionsResult Validate(string? name, DeduplicationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.HeaderName))
        {
            errors.Add("Kafka:Deduplication:HeaderName is empty: set the header that carries message ids (default \"message-id\").");
        }

        if (options.Lease <= TimeSpan.Zero)
        {
            errors.Add($"Kafka:Deduplication:Lease must be positive (was {options.Lease}); it should exceed the longest handler run.");
        }

        if (options.Retention <= TimeSpan.Zero)
        {
            errors.Add($"Kafka:Deduplication:Retention must be positive (was {options.Retention}); it should exceed the longest redelivery window.");
        }

        if (options.InMemoryMaxEntries < 1)
        {
            errors.Add($"Kafka:Deduplication:InMemoryMaxEntries must be at least 1 (was {options.InMemoryMaxEntries}).");
        }

        if (options.MaxKeyLength < 1)
        {
            errors.Add($"Kafka:Deduplication:MaxKeyLength must be at least 1 (was {options.MaxKeyLength}).");
        }

        if (options.Resilience is null)
        {
            errors.Add("Kafka:Deduplication:Resilience is null: leave it unset for the defaults.");
        }
        else
        {
            errors.AddRange(options.Resilience.Validate().Select(e => "Kafka:Deduplication:" + e));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
