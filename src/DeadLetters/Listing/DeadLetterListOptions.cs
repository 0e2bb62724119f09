namespace KafkaPipeline.DeadLetters.Listing;

/// <summary>Which topics count as dead-letter topics and how much of each is read for statistics.</summary>
public sealed record DeadLetterListOptions
{
    /// <summary>Topics whose name ends with this are listed. Default <c>-dlt</c> (KafkaPipeline's default; Spring's is <c>-dlt</c> too, older Spring used <c>.DLT</c>).</summary>
    public string Suffix { get; init; } = "-dlt";

    /// <summary>Most records read per topic (the newest ones, spread over its partitions) to count exception types. Default 10,000.</summary>
    public int ScanLimit { get; init; } = 10_000;

    /// <summary>How many of the most frequent exception types to report. Default 3.</summary>
    public int TopExceptions { get; init; } = 3;

    internal void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrEmpty(Suffix))
        {
            errors.Add("Suffix is empty; use the dead-letter suffix of your topics, e.g. '-dlt' or '.DLT'.");
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
