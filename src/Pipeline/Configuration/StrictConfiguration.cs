using KafkaPipeline.Deduplication;
using KafkaPipeline.DependencyInjection;
using KafkaPipeline.Options;
using Microsoft.Extensions.Configuration;

namespace KafkaPipeline.Configuration;

/// <summary>
/// The strict check of the pipeline's section (<c>Kafka</c>): <see cref="KafkaPipelineOptions"/> with its
/// <c>Consumers:&lt;group&gt;</c> and <c>Deduplication</c>; sections other packages bind (registered in
/// <see cref="KafkaPipelineRegistry.ForeignSections"/>) are theirs to check.
/// </summary>
internal static class StrictConfiguration
{
    private const string Deduplication = "Deduplication";

    public static void Check(IConfiguration configuration, KafkaPipelineRegistry registry, ICollection<string> errors)
    {
        var path = ConfigurationSchema.PathOf(configuration);

        // Given the whole configuration rather than the Kafka section, other keys belong to the application.
        var whole = path.Length == 0;
        bool IsForeign(Type owner, string key) =>
            (owner == typeof(KafkaPipelineOptions)
                && (key.Equals(Deduplication, StringComparison.OrdinalIgnoreCase) || registry.ForeignSections.Contains(key)
                    || (whole && typeof(KafkaPipelineOptions).GetProperty(key, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase) is null)))
            || (owner == typeof(KafkaConsumerOptions) && registry.ForeignConsumerSections.Contains(key));

        ConfigurationSchema.Check(configuration, typeof(KafkaPipelineOptions), path, errors, IsForeign);
        var deduplication = configuration.GetSection(Deduplication);
        ConfigurationSchema.Check(deduplication, typeof(DeduplicationOptions), deduplication.Path, errors);
    }
}
