namespace KafkaPipeline.DeadLetters;

/// <summary>Why a dead-letter operation could not be carried out; a tool maps each kind to its own exit code.</summary>
public enum DeadLetterErrorKind
{
    /// <summary>The connection settings are missing or invalid (no bootstrap servers, unreadable config file, bad property).</summary>
    Configuration,

    /// <summary>No broker answered within the timeout.</summary>
    BrokersUnreachable,

    /// <summary>A topic (dead-letter topic, original topic or <c>--to</c> target) does not exist.</summary>
    TopicNotFound,

    /// <summary>The requested record (partition and offset) is not in the topic.</summary>
    RecordNotFound,

    /// <summary>Records to replay carry no <c>kafka_dlt-original-topic</c> header and no target topic was given.</summary>
    MissingDeadLetterHeaders,

    /// <summary>The request itself is invalid (e.g. a partition the topic does not have).</summary>
    InvalidRequest,
}
