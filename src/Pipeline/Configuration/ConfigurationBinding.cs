using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.Configuration;

/// <summary>
/// Binds options from a configuration section; a value the binder cannot convert fails with an
/// <see cref="OptionsValidationException"/> that names the path and the fix instead of the binder's bare message.
/// Unknown keys and values the binder would silently drop are reported by <see cref="ConfigurationSchema"/> at start.
/// </summary>
internal sealed class ConfigurationBinding<TOptions>(IConfiguration section) : IConfigureOptions<TOptions>
    where TOptions : class
{
    public void Configure(TOptions options)
    {
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            var path = ConfigurationSchema.PathOf(section);
            var reason = ex.InnerException?.Message ?? ex.Message;
            throw new OptionsValidationException(path, typeof(TOptions), [
                $"{(path.Length == 0 ? "configuration" : path)} could not be bound to {typeof(TOptions).Name}: {reason} "
                + "Fix: correct the value at the path named (durations as [d.]hh:mm:ss, enums by name, numbers in invariant culture).",
            ]);
        }
    }
}
