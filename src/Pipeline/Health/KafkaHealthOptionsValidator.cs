using KafkaPipeline.Options;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.Health;

/// <summary>Validates <c>Kafka:Health</c> at host start.</summary>
internal sealed class KafkaHealthOptionsValidator : IValidateOptions<KafkaPipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaPipelineOptions options)
    {
        var errors = new List<string>();
        options.Health.Validate($"{KafkaPipelineOptions.SectionName}:Health", errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
