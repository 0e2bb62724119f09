using KafkaPipeline.ErrorHandling.Recovery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.ErrorHandling.Configuration;

/// <summary>
/// Binds <see cref="ErrorHandlingOptions"/> from the application's configuration when there is one: the unnamed
/// instance from <c>Kafka:ErrorHandling</c>, the instance named after a group id from that section and then
/// <c>Kafka:Consumers:&lt;groupId&gt;:ErrorHandling</c>.
/// </summary>
internal sealed class ErrorHandlingConfigureOptions(IServiceProvider services)
    : IConfigureNamedOptions<ErrorHandlingOptions>, IConfigureOptions<DeadLetterProducerOptions>
{
    public void Configure(ErrorHandlingOptions options) => Configure(Microsoft.Extensions.Options.Options.DefaultName, options);

    public void Configure(string? name, ErrorHandlingOptions options)
    {
        if (services.GetService<IConfiguration>() is not { } configuration)
        {
            return;
        }

        configuration.GetSection(ErrorHandlingOptions.SectionName).Bind(options);
        if (!string.IsNullOrEmpty(name))
        {
            configuration.GetSection(ErrorHandlingOptions.ConsumerSectionName(name)).Bind(options);
        }
    }

    public void Configure(DeadLetterProducerOptions options) =>
        services.GetService<IConfiguration>()?.GetSection(DeadLetterProducerOptions.SectionName).Bind(options);
}
