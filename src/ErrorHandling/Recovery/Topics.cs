namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>Kafka's topic-name rule: 1-249 characters from [a-zA-Z0-9._-], not "." or "..".</summary>
internal static class Topics
{
    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= 249 } and not "." and not ".."
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}
