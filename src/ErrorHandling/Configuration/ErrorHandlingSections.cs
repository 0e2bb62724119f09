using KafkaPipeline.ErrorHandling.DependencyInjection;
using KafkaPipeline.Options;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.ErrorHandling.Configuration;

/// <summary>
/// Where error handling reads its configuration: under the section given to <c>AddKafkaPipeline(section)</c>
/// (<c>&lt;section&gt;:ErrorHandling</c>, <c>&lt;section&gt;:Consumers:&lt;groupId&gt;:ErrorHandling</c>), or under the
/// application configuration's <c>Kafka</c> section when the pipeline was configured in code.
/// </summary>
internal sealed class ErrorHandlingSections(ErrorHandlingRegistration registration, IServiceProvider services)
{
    public const string ErrorHandling = "ErrorHandling";
    public const string DeadLetterProducer = "ErrorHandling:DeadLetterProducer";

    public static string Consumer(string groupId) => $"Consumers:{groupId}:ErrorHandling";

    /// <summary>The pipeline's section; null when there is no configuration at all.</summary>
    public IConfiguration? Root =>
        registration.Pipeline?.Configuration
        ?? services.GetService<IConfiguration>()?.GetSection(KafkaPipelineOptions.SectionName);

    /// <summary>The full configuration path of <paramref name="relative"/> (for error messages).</summary>
    public string PathOf(string relative) => Root switch
    {
        IConfigurationSection { Path.Length: > 0 } section => section.Path + ":" + relative,
        null or IConfigurationSection => KafkaPipelineOptions.SectionName + ":" + relative,
        _ => relative, // the whole configuration was given to AddKafkaPipeline
    };

    public IConfigurationSection? Get(string relative) => Root?.GetSection(relative);
}
