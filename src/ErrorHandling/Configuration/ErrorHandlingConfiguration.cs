using KafkaPipeline.Configuration;
using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.ErrorHandling.Recovery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.ErrorHandling.Configuration;

/// <summary>
/// Binds configuration straight onto the options the default error handler is built from: the instance named after a
/// group id gets <c>ErrorHandling</c> and then <c>Consumers:&lt;groupId&gt;:ErrorHandling</c> (see
/// <see cref="ErrorHandlingSections"/>). Only keys that are set change anything; unknown keys and values that do not
/// convert are kept as problems with their path and reported when the handler is built.
/// </summary>
internal sealed class ErrorHandlingConfiguration(ErrorHandlingSections sections)
    : IConfigureNamedOptions<ErrorHandlingOptions>, IConfigureOptions<DeadLetterProducerOptions>
{
    private static readonly HashSet<string> Keys = new(StringComparer.OrdinalIgnoreCase)
    {
        "BackOff", "NotRetryable", "Retryable", "RetryNothingByDefault", "ResetStateOnExceptionChange", "ResetStateOnRecoveryFailure",
        "MaxRecoveryFailures", "RecoveryFailureDelay", "Recoverer", "DeadLetter",
    };

    public void Configure(ErrorHandlingOptions options) => Configure(Microsoft.Extensions.Options.Options.DefaultName, options);

    public void Configure(string? name, ErrorHandlingOptions options)
    {
        Apply(sections.Get(ErrorHandlingSections.ErrorHandling), options, ErrorHandlingSections.ErrorHandling);
        if (!string.IsNullOrEmpty(name))
        {
            Apply(sections.Get(ErrorHandlingSections.Consumer(name)), options, ErrorHandlingSections.Consumer(name));
        }
    }

    public void Configure(DeadLetterProducerOptions options)
    {
        try
        {
            sections.Get(ErrorHandlingSections.DeadLetterProducer)?.Bind(options);
        }
        catch (InvalidOperationException)
        {
            // Reported with the path by DeadLetterProducerOptionsValidator, which checks the section before binding matters.
        }
    }

    private void Apply(IConfigurationSection? section, ErrorHandlingOptions options, string relative)
    {
        if (section is null || !section.Exists())
        {
            return;
        }

        var path = sections.PathOf(relative);
        var errors = options.ConfigurationErrors;
        foreach (var key in section.GetChildren().Select(c => c.Key).Where(k => !Keys.Contains(k) && !IsProducerSection(relative, k)))
        {
            errors.Add($"{path}:{key} is not an error-handling setting. Fix: remove it or use one of {string.Join(", ", Keys)}.");
        }

        var handler = options.Handler;
        ApplyBackOff(section.GetSection("BackOff"), handler, $"{path}:BackOff", errors);
        Read<bool>(section, "RetryNothingByDefault", path, errors, retryNothing =>
        {
            if (retryNothing)
            {
                handler.Classifier.RetryNothingByDefault();
            }
        });
        foreach (var type in TypeNames(section.GetSection("Retryable"), $"{path}:Retryable", errors))
        {
            handler.Classifier.AddRetryable(type);
        }

        foreach (var type in TypeNames(section.GetSection("NotRetryable"), $"{path}:NotRetryable", errors))
        {
            handler.Classifier.AddNotRetryable(type);
        }

        Read<bool>(section, "ResetStateOnExceptionChange", path, errors, v => handler.ResetStateOnExceptionChange = v);
        Read<bool>(section, "ResetStateOnRecoveryFailure", path, errors, v => handler.ResetStateOnRecoveryFailure = v);
        Read<int>(section, "MaxRecoveryFailures", path, errors, v => handler.MaxRecoveryFailures = v);
        Read<TimeSpan>(section, "RecoveryFailureDelay", path, errors, v => handler.RecoveryFailureDelay = v);
        Read<RecovererKind>(section, "Recoverer", path, errors, v =>
        {
            if (v == RecovererKind.Custom)
            {
                errors.Add($"{path}:Recoverer 'Custom' can only be chosen in code. Fix: use DeadLetter (default) or Log, or eh.Recoverer(sp => …) in Program.cs.");
            }
            else
            {
                options.Recoverer = v;
            }
        });
        ApplyDeadLetter(section.GetSection("DeadLetter"), options.DeadLetter, $"{path}:DeadLetter", errors);
    }

    private static bool IsProducerSection(string relative, string key) =>
        relative == ErrorHandlingSections.ErrorHandling && key.Equals("DeadLetterProducer", StringComparison.OrdinalIgnoreCase);

    private static void ApplyBackOff(IConfigurationSection section, DefaultErrorHandlerOptions handler, string path, List<string> errors)
    {
        if (!section.Exists())
        {
            return;
        }

        var before = errors.Count;
        ConfigurationSchema.Check(section, typeof(BackOffOptions), path, errors);
        if (errors.Count > before)
        {
            return;
        }

        var backOff = section.Get<BackOffOptions>() ?? new BackOffOptions();
        backOff.Validate(path, errors);
        if (errors.Count == before)
        {
            handler.BackOff = backOff.Create();
        }
    }

    private static void ApplyDeadLetter(IConfigurationSection section, DeadLetterPublishingOptions target, string path, List<string> errors)
    {
        if (!section.Exists())
        {
            return;
        }

        const string Routes = nameof(DeadLetterPublishingOptions.ExceptionRoutes);
        var before = errors.Count;
        ConfigurationSchema.Check(section, typeof(DeadLetterPublishingOptions), path, errors, (_, key) => key.Equals(Routes, StringComparison.OrdinalIgnoreCase));
        if (errors.Count > before)
        {
            return;
        }

        // The binder cannot key a dictionary by Type: bind everything else, then resolve the routes' type names.
        foreach (var setting in section.GetChildren().Where(c => !c.Key.Equals(Routes, StringComparison.OrdinalIgnoreCase)))
        {
            var property = typeof(DeadLetterPublishingOptions).GetProperty(setting.Key, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)!;
            property.SetValue(target, section.GetValue(property.PropertyType, setting.Key));
        }

        foreach (var route in section.GetSection(Routes).GetChildren())
        {
            if (ExceptionTypeNames.Resolve(route.Key, $"{path}:{Routes}", errors) is { } type && route.Value is { } topic)
            {
                target.ExceptionRoutes[type] = topic;
            }
        }
    }

    private static IEnumerable<Type> TypeNames(IConfigurationSection section, string path, List<string> errors) =>
        section.GetChildren().Select(c => c.Value).OfType<string>()
            .Select(name => ExceptionTypeNames.Resolve(name, path, errors)).OfType<Type>().ToList();

    private static void Read<T>(IConfigurationSection section, string key, string path, List<string> errors, Action<T> apply)
    {
        if (section[key] is not { } raw)
        {
            return;
        }

        try
        {
            var value = section.GetValue<T>(key);
            if (value is null || (value is Enum e && !Enum.IsDefined(typeof(T), e)))
            {
                throw new InvalidOperationException();
            }

            apply(value);
        }
        catch (InvalidOperationException)
        {
            var expected = typeof(T).IsEnum ? $"one of {string.Join(", ", Enum.GetNames(typeof(T)))}"
                : typeof(T) == typeof(TimeSpan) ? "a duration such as 00:00:01" : typeof(T) == typeof(bool) ? "true or false" : "a whole number";
            errors.Add($"{path}:{key} '{raw}' is not valid. Fix: use {expected}.");
        }
    }
}
