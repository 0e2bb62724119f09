using KafkaPipeline.ErrorHandling.Configuration;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.ErrorHandling.DependencyInjection;

/// <summary>An application-wide <c>UseDefaultErrorHandler(eh => …)</c> callback: configures every group's options, naming the group.</summary>
internal sealed class ErrorHandlingCallback(Action<DefaultErrorHandlerBuilder> configure) : IConfigureNamedOptions<ErrorHandlingOptions>
{
    public void Configure(string? name, ErrorHandlingOptions options) => configure(new DefaultErrorHandlerBuilder(name ?? string.Empty, options));

    public void Configure(ErrorHandlingOptions options) => Configure(Microsoft.Extensions.Options.Options.DefaultName, options);
}
