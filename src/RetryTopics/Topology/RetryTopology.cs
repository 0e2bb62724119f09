using KafkaPipeline.RetryTopics.Configuration;

namespace KafkaPipeline.RetryTopics.Topology;

/// <summary>
/// The topics of one main topic's retry chain, named as spring-kafka's <c>DestinationTopicPropertiesFactory</c> names them
/// (checked against 3.3.9): main, the retry topics, then the DLT unless <see cref="DltStrategy.NoDlt"/>. Suffix rules:
/// one retry topic for a repeated delay with <see cref="SameIntervalTopicReuseStrategy.SingleTopic"/> → <c>-retry</c>;
/// a fixed delay (several equal values) or <see cref="TopicSuffixingStrategy.SuffixWithIndexValue"/> → <c>-retry-&lt;index&gt;</c>;
/// otherwise <c>-retry-&lt;delay ms&gt;</c>, with <c>-&lt;n&gt;</c> appended to repeated delays when topics are not reused.
/// </summary>
public sealed class RetryTopology
{
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);

    private RetryTopology(string mainTopic, RetryTopicOptions options, IReadOnlyList<long> backOff, List<DestinationTopic> topics)
    {
        MainTopic = mainTopic;
        Options = options;
        BackOffValues = backOff;
        Topics = topics;
        for (var i = 0; i < topics.Count; i++)
        {
            _byName[topics[i].Name] = i;
        }
    }

    /// <summary>The name of the topic the chain starts from.</summary>
    public string MainTopic { get; }

    internal RetryTopicOptions Options { get; }

    /// <summary>Delay (ms) before each retry attempt; <c>Attempts - 1</c> values.</summary>
    public IReadOnlyList<long> BackOffValues { get; }

    /// <summary>Main, retry topics in order, then the DLT (if any).</summary>
    public IReadOnlyList<DestinationTopic> Topics { get; }

    /// <summary>The retry topics, in the order records pass them.</summary>
    public IEnumerable<DestinationTopic> RetryTopics => Topics.Where(t => t.IsRetry);

    /// <summary>The dead-letter topic, or null when the chain has none (<c>DltStrategy.NoDlt</c>).</summary>
    public DestinationTopic? Dlt => Topics[^1] is { Kind: DestinationKind.Dlt } dlt ? dlt : null;

    /// <summary>The main topic (the chain's first entry).</summary>
    public DestinationTopic Main => Topics[0];

    /// <summary>The chain's topic named <paramref name="topic"/>, or null when the chain has no such topic.</summary>
    public DestinationTopic? Find(string topic) => _byName.TryGetValue(topic, out var i) ? Topics[i] : null;

    /// <summary>The topic after <paramref name="source"/> in the chain, or null after the last one.</summary>
    public DestinationTopic? Next(DestinationTopic source) => source.Index + 1 < Topics.Count ? Topics[source.Index + 1] : null;

    /// <summary>The chain of <paramref name="mainTopic"/> under <paramref name="options"/>, named as spring-kafka names it.</summary>
    public static RetryTopology Create(string mainTopic, RetryTopicOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var values = Topology.BackOffValues.Generate(options);
        var reuse = options.SameIntervalTopicReuse == SameIntervalTopicReuseStrategy.SingleTopic;
        var isFixed = options.TopicSuffixing == TopicSuffixingStrategy.SuffixWithIndexValue
            || (values.Count > 1 && values.Distinct().Count() == 1);
        var reusable = reuse && values.Count > 1 ? Count(values, values[^1]) - 1 : 0; // duplicates assumed at the end, as Spring
        var retryTopics = values.Count - reusable;

        var topics = new List<DestinationTopic> { new(mainTopic, DestinationKind.Main, TimeSpan.Zero, 0) };
        for (var i = 0; i < retryTopics; i++)
        {
            var delay = values[i];
            var suffix = Suffix(options, values, i, delay, reuse, isFixed, retryTopics);
            var kind = reuse && Count(values, delay) > 1 ? DestinationKind.ReusableRetry : DestinationKind.Retry;
            topics.Add(new(mainTopic + suffix, kind, TimeSpan.FromMilliseconds(delay), topics.Count));
        }

        if (options.DltStrategy != DltStrategy.NoDlt)
        {
            topics.Add(new(mainTopic + options.DltTopicSuffix, DestinationKind.Dlt, TimeSpan.Zero, topics.Count));
        }

        return new RetryTopology(mainTopic, options, values, topics);
    }

    private static string Suffix(RetryTopicOptions options, IReadOnlyList<long> values, int index, long delay, bool reuse, bool isFixed, int retryTopics)
    {
        if (reuse && retryTopics == 1)
        {
            return options.RetryTopicSuffix;
        }

        if (isFixed)
        {
            return options.RetryTopicSuffix + "-" + index;
        }

        var suffix = options.RetryTopicSuffix + "-" + delay;
        if (!reuse && Count(values, delay) > 1)
        {
            suffix += "-" + (index - IndexOf(values, delay));
        }

        return suffix;
    }

    private static int Count(IReadOnlyList<long> values, long value) => values.Count(v => v == value);

    private static int IndexOf(IReadOnlyList<long> values, long value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] == value)
            {
                return i;
            }
        }

        return -1;
    }
}
