namespace KafkaPipeline.RetryTopics.KeyOrdering;

/// <summary>
/// The reason written into the <c>kafka_dlt-exception-*</c> headers of a record that did not fail but follows an earlier
/// record of its key through the retry topics (key-ordered mode). Never thrown by a handler.
/// </summary>
public sealed class KeyParkedException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public KeyParkedException()
        : base("An earlier record of this key is in the retry topics; this record follows it to keep the key's order.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public KeyParkedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public KeyParkedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
