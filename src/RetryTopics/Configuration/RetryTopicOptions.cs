using KafkaPipeline.Errors;

namespace KafkaPipeline.RetryTopics.Configuration;

/// <summary>
/// Non-blocking retry topics of one consumer group's main topics (spring-kafka's <c>@RetryableTopic</c> /
/// <c>RetryTopicConfiguration</c>). Bound from <c>Kafka:RetryTopics:&lt;groupId&gt;</c>, overlaid on the handler's
/// <see cref="RetryableTopicAttribute"/>, then changed by <c>UseRetryTopics(...)</c> callbacks.
/// </summary>
public sealed class RetryTopicOptions
{
    /// <summary>Deliveries in all, counting the first one on the main topic (Spring's <c>attempts</c>). Default 3.</summary>
    public int Attempts { get; set; } = 3;

    /// <summary>Delay before the first retry (Spring's <c>@Backoff(delay)</c>). Default 1 s.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Exponential back-off factor; 0 (default) means a fixed delay (Spring's <c>@Backoff(multiplier)</c>).</summary>
    public double Multiplier { get; set; }

    /// <summary>Longest delay of an exponential back-off (Spring's <c>@Backoff(maxDelay)</c>). Default 30 s.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Since the main-topic record's timestamp (<c>retry_topic-original-timestamp</c>): a record failing after this goes to
    /// the DLT instead of the next retry topic (Spring's <c>timeout</c>). Null (default): no timeout.
    /// </summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Only these exception types (full names; inner exceptions count) go to retry topics (Spring's <c>include</c>).</summary>
    public List<string> Include { get; } = [];

    /// <summary>These exception types (full names) go straight to the DLT (Spring's <c>exclude</c>).</summary>
    public List<string> Exclude { get; } = [];

    /// <summary>Default <c>-retry</c>.</summary>
    public string RetryTopicSuffix { get; set; } = "-retry";

    /// <summary>Default <c>-dlt</c>.</summary>
    public string DltTopicSuffix { get; set; } = "-dlt";

    /// <summary>Default <see cref="TopicSuffixingStrategy.SuffixWithDelayValue"/>.</summary>
    public TopicSuffixingStrategy TopicSuffixing { get; set; } = TopicSuffixingStrategy.SuffixWithDelayValue;

    /// <summary>Default <see cref="SameIntervalTopicReuseStrategy.SingleTopic"/> (as <c>@RetryableTopic</c> since 3.2).</summary>
    public SameIntervalTopicReuseStrategy SameIntervalTopicReuse { get; set; } = SameIntervalTopicReuseStrategy.SingleTopic;

    /// <summary>Default <see cref="DltStrategy.AlwaysRetryOnError"/>.</summary>
    public DltStrategy DltStrategy { get; set; } = DltStrategy.AlwaysRetryOnError;

    /// <summary>
    /// A handler class (an <c>IMessageHandler&lt;T&gt;</c> of the main handler's message type) that consumes the DLT in
    /// group <c>&lt;groupId&gt;&lt;DltTopicSuffix&gt;</c> (Spring's <c>@DltHandler</c>). Null (default): nothing consumes the DLT.
    /// </summary>
    public Type? DltHandler { get; set; }

    /// <summary>Create missing retry topics and the DLT at start through the admin client (Spring's <c>autoCreateTopics</c>). Default true; false validates that they exist.</summary>
    public bool AutoCreateTopics { get; set; } = true;

    /// <summary>Partitions of created topics. Null (default): as many as the main topic has (Spring's default is 1).</summary>
    public int? NumPartitions { get; set; }

    /// <summary>Replication factor of created topics; -1 (default) is the broker's default.</summary>
    public short ReplicationFactor { get; set; } = -1;

    /// <summary>
    /// Key-ordered retry topics: while a record of key K is in the retry topics, later records of K (main topic or retry
    /// topics) follow it instead of overtaking it. See docs/retry-topics.md for the cost and the limits.
    /// </summary>
    public bool KeyOrdered { get; set; }

    /// <summary>
    /// In-memory retries on each topic before the record moves on (Spring's "combine blocking and non-blocking retries").
    /// Null (default): none, every failure moves the record to the next topic at once.
    /// </summary>
    public IBackOff? BlockingBackOff { get; set; }

    /// <summary>Adds a message naming <paramref name="path"/> and the fix for every invalid setting.</summary>
    public void Validate(string path, ICollection<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Attempts is < 1 or > short.MaxValue)
        {
            errors.Add($"{path}:Attempts is {Attempts}. Fix: use 1 (no retry topic) to {short.MaxValue}; it counts the first delivery (default 3).");
        }

        if (Delay < TimeSpan.FromMilliseconds(1) || Delay > TimeSpan.FromDays(1))
        {
            errors.Add($"{path}:Delay is {Delay}. Fix: use 1 ms to 1 day (default 1 s); records more than a day ahead are treated as due by Spring 4.");
        }

        if (Multiplier != 0 && Multiplier < 1)
        {
            errors.Add($"{path}:Multiplier is {Multiplier}. Fix: use 0 for a fixed delay or 1 and more for an exponential back-off.");
        }

        if (Multiplier >= 1 && (MaxDelay < Delay || MaxDelay > TimeSpan.FromDays(1)))
        {
            errors.Add($"{path}:MaxDelay is {MaxDelay} with Delay {Delay}. Fix: use a MaxDelay of at least Delay and at most 1 day.");
        }

        if (Timeout is { } timeout && timeout <= TimeSpan.Zero)
        {
            errors.Add($"{path}:Timeout is {timeout}. Fix: use a positive time span, or remove it for no timeout.");
        }

        if (Include.Count > 0 && Exclude.Count > 0)
        {
            errors.Add($"{path}: both Include and Exclude are set. Fix: set one of them, as Spring's @RetryableTopic allows.");
        }

        CheckSuffix(path, nameof(RetryTopicSuffix), RetryTopicSuffix, errors);
        CheckSuffix(path, nameof(DltTopicSuffix), DltTopicSuffix, errors);
        if (NumPartitions is < 1)
        {
            errors.Add($"{path}:NumPartitions is {NumPartitions}. Fix: use 1 or more, or remove it to copy the main topic's count.");
        }

        if (ReplicationFactor is 0 or < -1)
        {
            errors.Add($"{path}:ReplicationFactor is {ReplicationFactor}. Fix: use -1 (broker default) or 1 and more.");
        }

        if (DltHandler is not null && DltStrategy == DltStrategy.NoDlt)
        {
            errors.Add($"{path}: DltHandler {DltHandler.Name} is set with DltStrategy NoDlt. Fix: remove the handler or choose AlwaysRetryOnError/FailOnError.");
        }
    }

    internal RetryTopicOptions Clone()
    {
        var copy = new RetryTopicOptions
        {
            Attempts = Attempts,
            Delay = Delay,
            Multiplier = Multiplier,
            MaxDelay = MaxDelay,
            Timeout = Timeout,
            RetryTopicSuffix = RetryTopicSuffix,
            DltTopicSuffix = DltTopicSuffix,
            TopicSuffixing = TopicSuffixing,
            SameIntervalTopicReuse = SameIntervalTopicReuse,
            DltStrategy = DltStrategy,
            DltHandler = DltHandler,
            AutoCreateTopics = AutoCreateTopics,
            NumPartitions = NumPartitions,
            ReplicationFactor = ReplicationFactor,
            KeyOrdered = KeyOrdered,
            BlockingBackOff = BlockingBackOff,
        };
        copy.Include.AddRange(Include);
        copy.Exclude.AddRange(Exclude);
        return copy;
    }

    private static void CheckSuffix(string path, string name, string? suffix, ICollection<string> errors)
    {
        if (string.IsNullOrEmpty(suffix) || suffix.Length > 100 || suffix.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-')))
        {
            errors.Add($"{path}:{name} is '{suffix}'. Fix: use 1-100 characters from [a-zA-Z0-9._-].");
        }
    }
}
