namespace KafkaPipeline.RetryTopics.Topology;

/// <summary>What a topic of a retry chain is (spring-kafka's <c>DestinationTopic.Type</c>).</summary>
public enum DestinationKind
{
    /// <summary>The topic the handler consumes first.</summary>
    Main,

    /// <summary>A retry topic of one attempt.</summary>
    Retry,

    /// <summary>A retry topic that serves several attempts with the same delay (Spring's <c>REUSABLE_RETRY_TOPIC</c>).</summary>
    ReusableRetry,
    /// <summary>The dead-letter topic at the end of the chain.</summary>
    Dlt,
}

/// <summary>One topic of a main topic's retry chain: its name, kind, delay and place in the chain.</summary>
public sealed record DestinationTopic(string Name, DestinationKind Kind, TimeSpan Delay, int Index)
{
    /// <summary>True for a retry topic (reusable or not).</summary>
    public bool IsRetry => Kind is DestinationKind.Retry or DestinationKind.ReusableRetry;

    /// <inheritdoc/>
    public override string ToString() => Kind is DestinationKind.Main or DestinationKind.Dlt ? $"{Name} ({Kind})" : $"{Name} ({Kind}, {Delay.TotalMilliseconds:0} ms)";
}
