namespace KafkaPipeline.DeadLetters.Connection;

/// <summary>Which librdkafka properties hold secrets (passwords, keys, tokens, JAAS configs) and must never be printed.</summary>
public static class SecretRedaction
{
    /// <summary>What a secret value is printed as.</summary>
    public const string Mask = "********";

    private static readonly string[] SecretWords = ["password", "secret", "token", "jaas", "credential", ".key", "key.pem", "keystore", "private", "oauthbearer.config"];

    /// <summary>True when the value of property <paramref name="name"/> must be masked.</summary>
    public static bool IsSecret(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var lower = name.ToLowerInvariant();
        return SecretWords.Any(word => lower.Contains(word, StringComparison.Ordinal))
            && lower is not "ssl.key.location" and not "ssl.keystore.location" and not "ssl.endpoint.identification.algorithm";
    }

    /// <summary>Replaces every occurrence of a secret value in <paramref name="text"/> (e.g. an error message) with the mask.</summary>
    public static string Scrub(string text, IEnumerable<KeyValuePair<string, string>> properties)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(properties);
        foreach (var (key, value) in properties)
        {
            if (IsSecret(key) && value.Length >= 3)
            {
                text = text.Replace(value, Mask, StringComparison.Ordinal);
            }
        }

        return text;
    }
}
