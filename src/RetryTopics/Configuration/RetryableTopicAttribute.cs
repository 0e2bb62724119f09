namespace KafkaPipeline.RetryTopics.Configuration;

/// <summary>
/// Gives a <c>[KafkaHandler]</c> class non-blocking retry topics (spring-kafka's <c>@RetryableTopic</c>). Settings left
/// unset keep <see cref="RetryTopicOptions"/>' defaults; <c>Kafka:RetryTopics:&lt;groupId&gt;</c> and
/// <c>UseRetryTopics(...)</c> callbacks override them. Delays are in milliseconds, as in Spring's <c>@Backoff</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class RetryableTopicAttribute : Attribute
{
    private int? _attempts;
    private long? _delayMs;
    private double? _multiplier;
    private long? _maxDelayMs;
    private long? _timeoutMs;
    private TopicSuffixingStrategy? _suffixing;
    private SameIntervalTopicReuseStrategy? _reuse;
    private DltStrategy? _dlt;
    private bool? _autoCreate;
    private int? _partitions;
    private bool? _keyOrdered;

    /// <summary>Deliveries in all, the first one included (Spring's <c>attempts</c>); default 3.</summary>
    public int Attempts { get => _attempts ?? 3; set => _attempts = value; }

    /// <summary>Back-off before the first retry, in milliseconds; default 1,000.</summary>
    public long DelayMs { get => _delayMs ?? 1000; set => _delayMs = value; }

    /// <summary>Exponential back-off multiplier; 0 (default) keeps the delay fixed.</summary>
    public double Multiplier { get => _multiplier ?? 0; set => _multiplier = value; }

    /// <summary>Upper bound of an exponential delay, in milliseconds; default 30,000.</summary>
    public long MaxDelayMs { get => _maxDelayMs ?? 30_000; set => _maxDelayMs = value; }

    /// <summary>Milliseconds since the original timestamp; 0 (default) is no timeout.</summary>
    public long TimeoutMs { get => _timeoutMs ?? 0; set => _timeoutMs = value; }

    /// <summary>Exceptions that go to the retry topics; empty: all the classifier retries.</summary>
    public Type[] Include { get; set; } = [];

    /// <summary>Exceptions that skip the retry topics and go to the dead-letter topic at once.</summary>
    public Type[] Exclude { get; set; } = [];

    /// <summary>Suffix of the retry topics; default <c>-retry</c>.</summary>
    public string? RetryTopicSuffix { get; set; }

    /// <summary>Suffix of the dead-letter topic; default <c>-dlt</c>.</summary>
    public string? DltTopicSuffix { get; set; }

    /// <summary>Whether retry topics are named by delay value (default) or by index.</summary>
    public TopicSuffixingStrategy TopicSuffixing { get => _suffixing ?? TopicSuffixingStrategy.SuffixWithDelayValue; set => _suffixing = value; }

    /// <summary>Whether repeated equal delays share one retry topic (default) or get one topic each.</summary>
    public SameIntervalTopicReuseStrategy SameIntervalTopicReuse { get => _reuse ?? SameIntervalTopicReuseStrategy.SingleTopic; set => _reuse = value; }

    /// <summary>What happens after the last attempt and when the dead-letter handler fails.</summary>
    public DltStrategy DltStrategy { get => _dlt ?? DltStrategy.AlwaysRetryOnError; set => _dlt = value; }

    /// <summary>A class that handles the records of the dead-letter topic (registered automatically).</summary>
    public Type? DltHandler { get; set; }

    /// <summary>Creates missing retry and dead-letter topics at start (default); false fails the start instead.</summary>
    public bool AutoCreateTopics { get => _autoCreate ?? true; set => _autoCreate = value; }

    /// <summary>0 (default): as many partitions as the main topic.</summary>
    public int NumPartitions { get => _partitions ?? 0; set => _partitions = value; }

    /// <summary>Later records of a key follow its record through the retry topics (KafkaPipeline's key-ordered mode).</summary>
    public bool KeyOrdered { get => _keyOrdered ?? false; set => _keyOrdered = value; }

    /// <summary>Copies the settings this attribute sets onto <paramref name="options"/>.</summary>
    internal void ApplyTo(RetryTopicOptions options)
    {
        if (_attempts is { } attempts) options.Attempts = attempts;
        if (_delayMs is { } delay) options.Delay = TimeSpan.FromMilliseconds(delay);
        if (_multiplier is { } multiplier) options.Multiplier = multiplier;
        if (_maxDelayMs is { } max) options.MaxDelay = TimeSpan.FromMilliseconds(max);
        if (_timeoutMs is { } timeout) options.Timeout = timeout > 0 ? TimeSpan.FromMilliseconds(timeout) : null;
        options.Include.AddRange(Include.Select(t => t.FullName!));
        options.Exclude.AddRange(Exclude.Select(t => t.FullName!));
        if (RetryTopicSuffix is not null) options.RetryTopicSuffix = RetryTopicSuffix;
        if (DltTopicSuffix is not null) options.DltTopicSuffix = DltTopicSuffix;
        if (_suffixing is { } suffixing) options.TopicSuffixing = suffixing;
        if (_reuse is { } reuse) options.SameIntervalTopicReuse = reuse;
        if (_dlt is { } dlt) options.DltStrategy = dlt;
        if (DltHandler is not null) options.DltHandler = DltHandler;
        if (_autoCreate is { } create) options.AutoCreateTopics = create;
        if (_partitions is > 0) options.NumPartitions = _partitions;
        if (_keyOrdered is { } keyOrdered) options.KeyOrdered = keyOrdered;
    }
}
