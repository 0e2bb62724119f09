namespace KafkaPipeline.DeadLetters.Preview;

/// <summary>How a payload is shown.</summary>
public enum PayloadFormat
{
    /// <summary>Pretty JSON when it parses, else UTF-8 text when it is printable, else hex.</summary>
    Auto,

    Text,

    Json,

    Hex,
}
