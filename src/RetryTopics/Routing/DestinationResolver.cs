using KafkaPipeline.ErrorHandling.Classification;
using KafkaPipeline.RetryTopics.Configuration;
using KafkaPipeline.RetryTopics.Topology;

namespace KafkaPipeline.RetryTopics.Routing;

/// <summary>
/// Where a failed record goes next (spring-kafka's <c>DefaultDestinationTopicResolver</c>): from the main topic or a retry
/// topic, to the next retry topic (the same one when it is reusable) while attempts remain, the exception is retryable and
/// the timeout since the original timestamp has not passed; otherwise to the DLT, or nowhere with
/// <see cref="DltStrategy.NoDlt"/>. From the DLT: back to the DLT with <see cref="DltStrategy.AlwaysRetryOnError"/> and a
/// retryable exception, otherwise nowhere. Thread-safe (no state).
/// </summary>
internal sealed class DestinationResolver(RetryTopology topology, ExceptionClassifier classifier)
{
    public RetryTopology Topology => topology;

    public ExceptionClassifier Classifier => classifier;

    /// <summary>The destination, or null: log and commit (no DLT, or the DLT handler failed with FailOnError).</summary>
    public DestinationTopic? Resolve(DestinationTopic source, int attempts, Exception exception, long originalTimestampMs, DateTimeOffset now)
    {
        var options = topology.Options;
        if (source.Kind == DestinationKind.Dlt)
        {
            return options.DltStrategy == DltStrategy.AlwaysRetryOnError && classifier.IsRetryable(exception) ? source : null;
        }

        var retry = attempts < options.Attempts
            && classifier.IsRetryable(exception)
            && !IsPastTimeout(originalTimestampMs, now);
        if (!retry)
        {
            return topology.Dlt;
        }

        if (source.Kind == DestinationKind.ReusableRetry)
        {
            return source;
        }

        var next = topology.Next(source);
        return next is { IsRetry: true } ? next : topology.Dlt;
    }

    private bool IsPastTimeout(long originalTimestampMs, DateTimeOffset now) =>
        topology.Options.Timeout is { } timeout && now.ToUnixTimeMilliseconds() > originalTimestampMs + (long)timeout.TotalMilliseconds;

    /// <summary>The classifier of <paramref name="options"/>: ours, with Include (nothing else retried) or Exclude applied.</summary>
    public static ExceptionClassifier CreateClassifier(RetryTopicOptions options, string path, ICollection<string> errors)
    {
        var result = new ExceptionClassifier();
        if (options.Include.Count > 0)
        {
            result.RetryNothingByDefault();
            result.AddRetryable([.. Resolve(options.Include, path + ":Include", errors)]);
        }

        if (options.Exclude.Count > 0)
        {
            result.AddNotRetryable([.. Resolve(options.Exclude, path + ":Exclude", errors)]);
        }

        return result;
    }

    private static IEnumerable<Type> Resolve(IEnumerable<string> names, string path, ICollection<string> errors) =>
        names.Select(n => ErrorHandling.Configuration.ExceptionTypeNames.Resolve(n, path, errors)).OfType<Type>().ToList();
}
