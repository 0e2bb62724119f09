namespace KafkaPipeline.DeadLetters.Listing;

/// <summary>Which topics count as dead-letter topics and how much of each is read for statistics.</summary>
public sealed record DeadLetterListOptions
{
    /// <summary>
    /// Topics whose name ends with any of these are listed. Default <c>-dlt</c> (KafkaPipeline's and Spring's
    /// <c>@RetryableTopic</c> default); Spring's <c>DeadLetterPublishingRecoverer</c> names them <c>&lt;topic&gt;.DLT</c>.
    /// </summary>
    public IReadOnlyList<string> Suffixes { get; init; } = ["-dlt"];

    /// <summary>
    /// Also list retry topics (names ending with <c>-retry</c>, <c>-retry-&lt;n&gt;</c> or <c>-retry-&lt;n&gt;-&lt;m&gt;</c>, Spring's and
    /// KafkaPipeline.RetryTopics' naming), with the due times and attempts of their scanned records. Default true.
    /// </summary>
    public bool RetryTopics { get; init; } = true;

    /// <summary>Most records read per topic (the newest ones, spread over its partitions) to count exception types. Default 10,000.</summary>
    public int ScanLimit { get; init; } = 10_000;

    /// <summary>How many of the most frequent exception types to report. Default 3.</summary>
    public int TopExceptions { get; init; } = 3;

    internal void Validate()
    {
        var errors = new List<string>();
        if (Suffixes is null || Suffixes.Count == 0 || Suffixes.Any(string.IsNullOrEmpty))
        {
            errors.Add("Suffixes is empty or has an empty entry; use the dead-letter suffixes of your topics, e.g. '-dlt' and '.DLT'.");
        }

        if (ScanLimit < 0)
        {
            errors.Add($"ScanLimit is {ScanLimit}; use 0 (counts only) or more.");
        }

        if (TopExceptions < 0)
        {
            errors.Add($"TopExceptions is {TopExceptions}; use 0 or more.");
        }

        if (errors.Count > 0)
        {
            throw new DeadLetterOperationException(DeadLetterErrorKind.InvalidRequest, string.Join(Environment.NewLine, errors));
        }
    }
}
