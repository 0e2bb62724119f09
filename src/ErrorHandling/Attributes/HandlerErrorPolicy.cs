using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.ErrorHandling.Classification;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.Errors;

namespace KafkaPipeline.ErrorHandling.Attributes;

/// <summary>What a handler class's error-handling attributes change for its records; built once at start.</summary>
internal sealed class HandlerErrorPolicy
{
    public IBackOff? BackOff { get; private init; }

    /// <summary>The consumer's classifier extended with the handler's [NotRetryable]/[Retryable] types; null when it has none.</summary>
    public ExceptionClassifier? Classifier { get; private init; }

    public string? DeadLetterTopic { get; private init; }

    /// <summary>
    /// Reads the attributes of <paramref name="where"/> (a handler); null when it has none of ours. Problems are added
    /// to <paramref name="errors"/> with the fix.
    /// </summary>
    public static HandlerErrorPolicy? From(string where, IReadOnlyCollection<Attribute> attributes, ExceptionClassifier consumerClassifier, ICollection<string> errors)
    {
        var backOffs = attributes.OfType<BackOffAttribute>().ToList();
        var notRetryable = attributes.OfType<NotRetryableAttribute>().SelectMany(a => a.ExceptionTypes).ToList();
        var retryable = attributes.OfType<RetryableAttribute>().SelectMany(a => a.ExceptionTypes).ToList();
        var deadLetter = attributes.OfType<DeadLetterTopicAttribute>().FirstOrDefault();
        if (backOffs.Count == 0 && notRetryable.Count == 0 && retryable.Count == 0 && deadLetter is null)
        {
            return null;
        }

        var ok = true;
        if (backOffs.Count > 1)
        {
            errors.Add($"{where} has {backOffs.Count} back-off attributes ({string.Join(", ", backOffs.Select(b => b.GetType().Name))}). Fix: keep one of [FixedBackOff], [ExponentialBackOff], [NoRetries].");
            ok = false;
        }

        IBackOff? backOff = null;
        try
        {
            backOff = backOffs.Count == 1 ? backOffs[0].CreateBackOff() : null;
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{where}: [{backOffs[0].GetType().Name.Replace("Attribute", string.Empty, StringComparison.Ordinal)}] is invalid: {ex.Message}");
            ok = false;
        }

        foreach (var type in notRetryable.Concat(retryable).Where(t => t is null || !typeof(Exception).IsAssignableFrom(t)))
        {
            errors.Add($"{where}: [NotRetryable]/[Retryable] lists {type?.FullName ?? "null"}, which is not an exception type. Fix: list types deriving from System.Exception.");
            ok = false;
        }

        if (deadLetter is not null && !Topics.IsValid(deadLetter.Topic))
        {
            errors.Add($"{where}: [DeadLetterTopic(\"{deadLetter.Topic}\")] is not a valid topic name. Fix: use 1-249 characters from [a-zA-Z0-9._-].");
            ok = false;
        }

        if (!ok)
        {
            return null;
        }

        ExceptionClassifier? classifier = null;
        if (notRetryable.Count > 0 || retryable.Count > 0)
        {
            classifier = consumerClassifier.Clone().AddRetryable([.. retryable]).AddNotRetryable([.. notRetryable]);
        }

        return new HandlerErrorPolicy { BackOff = backOff, Classifier = classifier, DeadLetterTopic = deadLetter?.Topic };
    }
}
