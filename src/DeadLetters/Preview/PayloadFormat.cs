namespace KafkaPipeline.DeadLetters.Preview;

/// <summary>How a payload is shown.</summary>
public enum PayloadFormat
{
    /// <summary>Pretty JSON when it parses, else UTF-8 text when it is printable, else hex.</summary>
    Auto,

    /// <summary>UTF-8 text.</summary>
    Text,

    /// <summary>JSON, indented.</summary>
    Json,

    /// <summary>Hexadecimal bytes (binary payloads).</summary>
    Hex,
}
