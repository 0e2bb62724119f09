using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>What to replay from a dead-letter topic, where to, and how carefully.</summary>
public sealed record ReplayRequest
{
    /// <summary>The tool's progress group when no filter is given.</summary>
    public const string DefaultGroupPrefix = "kafka-dlt-replay";

    /// <summary>A replay of the dead-letter topic <paramref name="topic"/>.</summary>
    public ReplayRequest(string topic)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        Topic = topic;
    }

    /// <summary>The dead-letter topic.</summary>
    public string Topic { get; }

    /// <summary>Which records to replay. Default: every record.</summary>
    public DeadLetterFilter Filter { get; init; } = DeadLetterFilter.None;

    /// <summary>Send every record here instead of its original topic (required for records without dead-letter headers).</summary>
    public string? TargetTopic { get; init; }

    /// <summary>Which partition a replayed record goes to. Default: its original partition.</summary>
    public ReplayPartitioning Partitioning { get; init; } = ReplayPartitioning.Original;

    /// <summary>The consumer group whose committed offsets on the dead-letter topic record replay progress; see <see cref="DefaultGroupId"/>.</summary>
    public string? GroupId { get; init; }

    /// <summary>Loop guard: records already replayed this many times are refused (not sent) unless <see cref="Force"/>. Default 3.</summary>
    public int MaxReplays { get; init; } = 3;

    /// <summary>Replay records the loop guard would refuse.</summary>
    public bool Force { get; init; }

    /// <summary>Keep the <c>kafka_dlt-original-*</c> headers on the replayed record (default: dropped; the replay headers point back to the dead letter).</summary>
    public bool KeepOriginalHeaders { get; init; }

    /// <summary>Most records sent per second, on a fixed schedule that does not wait for each acknowledgement; null for no limit.</summary>
    public double? RatePerSecond { get; init; }

    /// <summary>
    /// Most records in flight (sent, not yet acknowledged); progress is committed after this many acknowledgements and
    /// at least every second. Default 100; 1 sends strictly one at a time.
    /// </summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>The progress group in use: <see cref="GroupId"/>, else <c>kafka-dlt-replay</c> without a filter, else <c>kafka-dlt-replay-&lt;filter fingerprint&gt;</c>.</summary>
    public string EffectiveGroupId => GroupId ?? DefaultGroupId(Filter);

    /// <summary>One progress group per selection, so a filtered replay never marks records it did not select as done for another selection.</summary>
    public static string DefaultGroupId(DeadLetterFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return filter.IsEmpty ? DefaultGroupPrefix : $"{DefaultGroupPrefix}-{filter.Fingerprint()}";
    }

    internal void Validate()
    {
        Filter.Validate();
        var errors = new List<string>();
        if (MaxReplays < 1)
        {
            errors.Add($"MaxReplays is {MaxReplays}; use 1 or more (default 3), or Force to bypass the loop guard.");
        }

        if (RatePerSecond is { } rate && (rate <= 0 || double.IsNaN(rate) || double.IsInfinity(rate)))
        {
            errors.Add($"RatePerSecond is {rate}; use a positive number of records per second, or none for no limit.");
        }

        if (BatchSize < 1)
        {
            errors.Add($"BatchSize is {BatchSize}; use 1 or more (default 100).");
        }

        if (GroupId is not null && string.IsNullOrWhiteSpace(GroupId))
        {
            errors.Add("GroupId is blank; leave it out for the default or name a group.");
        }

        if (TargetTopic is not null && !IsValidTopic(TargetTopic))
        {
            errors.Add($"TargetTopic '{TargetTopic}' is not a legal topic name (1-249 of a-z A-Z 0-9 . _ -).");
        }

        if (errors.Count > 0)
        {
            throw new DeadLetterOperationException(DeadLetterErrorKind.InvalidRequest, string.Join(Environment.NewLine, errors));
        }
    }

    private static bool IsValidTopic(string name) =>
        name is { Length: > 0 and <= 249 } and not "." and not ".."
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
