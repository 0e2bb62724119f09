using KafkaPipeline.ErrorHandling.Recovery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.ErrorHandling.Configuration;

/// <summary>
/// Binds <see cref="ErrorHandlingOptions"/> from the pipeline's configuration section when there is one (see
/// <see cref="ErrorHandlingSections"/>): the unnamed instance from <c>ErrorHandling</c>, the instance named after a
/// group id from that section and then <c>Consumers:&lt;groupId&gt;:ErrorHandling</c>.
/// </summary>
internal sealed class ErrorHandlingConfigureOptions(ErrorHandlingSections sections)
    : IConfigureNamedOptions<ErrorHandlingOptions>, IConfigureOptions<DeadLetterProducerOptions>
{
    public void Configure(ErrorHandlingOptions options) => Configure(Microsoft.Extensions.Options.Options.DefaultName, options);

    public void Configure(string? name, ErrorHandlingOptions options)
    {
        sections.Get(ErrorHandlingSections.ErrorHandling)?.Bind(options);
        if (!string.IsNullOrEmpty(name))
        {
            sections.Get(ErrorHandlingSections.Consumer(name))?.Bind(options);
        }
    }

    public void Configure(DeadLetterProducerOptions options) => sections.Get(ErrorHandlingSections.DeadLetterProducer)?.Bind(options);
}
