namespace KafkaPipeline.DeadLetters.Reading;

/// <summary>One header of a record, in its original order; <see cref="Value"/> is the raw bytes (null allowed by Kafka).</summary>
public readonly record struct RecordHeader(string Name, byte[]? Value);
