using KafkaPipeline.DependencyInjection;

namespace KafkaPipeline.ErrorHandling.DependencyInjection;

/// <summary>Marks that error handling is registered (a DI singleton instance) and remembers the pipeline whose section it reads.</summary>
internal sealed class ErrorHandlingRegistration
{
    /// <summary>A builder over the application's pipeline registrations: its <c>Configuration</c> is read when options are bound.</summary>
    public KafkaPipelineBuilder? Pipeline { get; set; }
}
