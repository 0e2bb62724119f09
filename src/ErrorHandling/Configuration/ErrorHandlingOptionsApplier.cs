using KafkaPipeline.ErrorHandling.DependencyInjection;
using KafkaPipeline.ErrorHandling.Recovery;

namespace KafkaPipeline.ErrorHandling.Configuration;

/// <summary>Applies what configuration set (and only that) to a consumer's error-handler spec; collects problems with the fix.</summary>
internal static class ErrorHandlingOptionsApplier
{
    public static void Apply(ErrorHandlingOptions options, ErrorHandlerSpec spec, string path, ICollection<string> errors)
    {
        var handler = spec.Handler;
        if (options.BackOff is { } backOff)
        {
            var before = errors.Count;
            backOff.Validate($"{path}:BackOff", errors);
            if (errors.Count == before)
            {
                handler.BackOff = backOff.Create();
            }
        }

        if (options.RetryNothingByDefault == true)
        {
            handler.Classifier.RetryNothingByDefault();
        }

        foreach (var type in Resolve(options.Retryable, $"{path}:Retryable", errors))
        {
            handler.Classifier.AddRetryable(type);
        }

        foreach (var type in Resolve(options.NotRetryable, $"{path}:NotRetryable", errors))
        {
            handler.Classifier.AddNotRetryable(type);
        }

        handler.ResetStateOnExceptionChange = options.ResetStateOnExceptionChange ?? handler.ResetStateOnExceptionChange;
        handler.ResetStateOnRecoveryFailure = options.ResetStateOnRecoveryFailure ?? handler.ResetStateOnRecoveryFailure;
        handler.MaxRecoveryFailures = options.MaxRecoveryFailures ?? handler.MaxRecoveryFailures;
        handler.RecoveryFailureDelay = options.RecoveryFailureDelay ?? handler.RecoveryFailureDelay;
        switch (options.Recoverer)
        {
            case RecovererKind.DeadLetter:
                spec.Recoverer = RecovererChoice.DeadLetter;
                break;
            case RecovererKind.Log:
                spec.Recoverer = RecovererChoice.Log;
                break;
            case null:
                break;
            default:
                errors.Add($"{path}:Recoverer '{options.Recoverer}' is unknown. Fix: use DeadLetter (default) or Log.");
                break;
        }

        if (options.DeadLetter is { } deadLetter)
        {
            Apply(deadLetter, spec.DeadLetter, $"{path}:DeadLetter", errors);
        }
    }

    private static void Apply(DeadLetterSettings settings, DeadLetterPublishingOptions target, string path, ICollection<string> errors)
    {
        target.TopicSuffix = settings.TopicSuffix ?? target.TopicSuffix;
        target.MaxExceptionHeaderBytes = settings.MaxExceptionHeaderBytes ?? target.MaxExceptionHeaderBytes;
        target.StripPreviousExceptionHeaders = settings.StripPreviousExceptionHeaders ?? target.StripPreviousExceptionHeaders;
        target.AppendOriginalHeaders = settings.AppendOriginalHeaders ?? target.AppendOriginalHeaders;
        target.VerifyPartition = settings.VerifyPartition ?? target.VerifyPartition;
        target.PublishTimeout = settings.PublishTimeout ?? target.PublishTimeout;
        target.PublishRetries = settings.PublishRetries ?? target.PublishRetries;
        target.PublishRetryDelay = settings.PublishRetryDelay ?? target.PublishRetryDelay;
        foreach (var (typeName, topic) in settings.ExceptionRoutes)
        {
            if (ExceptionTypeNames.Resolve(typeName, $"{path}:ExceptionRoutes", errors) is { } type)
            {
                target.ExceptionRoutes[type] = topic;
            }
        }
    }

    private static IEnumerable<Type> Resolve(List<string> names, string path, ICollection<string> errors) =>
        names.Select(name => ExceptionTypeNames.Resolve(name, path, errors)).OfType<Type>().ToList();
}
