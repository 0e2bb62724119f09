namespace KafkaPipeline.RetryTopics.Configuration;

/// <summary>How retry topics are suffixed (spring-kafka's <c>TopicSuffixingStrategy</c>).</summary>
public enum TopicSuffixingStrategy
{
    /// <summary><c>-retry-1000</c>, <c>-retry-2000</c>: the delay in ms (default, as Spring). Fixed delays use the index.</summary>
    SuffixWithDelayValue,

    /// <summary><c>-retry-0</c>, <c>-retry-1</c>: the tier's index.</summary>
    SuffixWithIndexValue,
}

/// <summary>Whether attempts with the same delay share one topic (spring-kafka's <c>SameIntervalTopicReuseStrategy</c>).</summary>
public enum SameIntervalTopicReuseStrategy
{
    /// <summary>
    /// One topic for the repeated delay: a fixed back-off uses a single <c>-retry</c> topic, an exponential one reuses its
    /// last topic for the attempts at the maximum delay (default, as <c>@RetryableTopic</c> since spring-kafka 3.2).
    /// </summary>
    SingleTopic,

    /// <summary>One topic per attempt (<c>-retry-0</c>, <c>-retry-1</c>, or <c>-retry-30000-0</c>, <c>-retry-30000-1</c>).</summary>
    MultipleTopics,
}

/// <summary>What happens with the dead-letter topic (spring-kafka's <c>DltStrategy</c>).</summary>
public enum DltStrategy
{
    /// <summary>Exhausted records go to the DLT; a DLT handler's failure publishes the record to the DLT again (default).</summary>
    AlwaysRetryOnError,

    /// <summary>Exhausted records go to the DLT; a DLT handler's failure is logged and the record is committed.</summary>
    FailOnError,

    /// <summary>No DLT: exhausted records are logged and committed (an explicit choice to drop them).</summary>
    NoDlt,
}
