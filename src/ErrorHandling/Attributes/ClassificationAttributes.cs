namespace KafkaPipeline.ErrorHandling.Attributes;

/// <summary>For this handler, failures of these exception types (and subtypes) are not retried: <c>[NotRetryable(typeof(ValidationException))]</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class NotRetryableAttribute(params Type[] exceptionTypes) : Attribute
{
    /// <summary>The exception types that are not retried for this handler's records.</summary>
    public IReadOnlyList<Type> ExceptionTypes { get; } = exceptionTypes ?? [];
}

/// <summary>For this handler, failures of these exception types are retried, even if not retryable by default.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = true)]
public sealed class RetryableAttribute(params Type[] exceptionTypes) : Attribute
{
    /// <summary>The exception types that are retried for this handler's records.</summary>
    public IReadOnlyList<Type> ExceptionTypes { get; } = exceptionTypes ?? [];
}

/// <summary>This handler's dead letters go to <paramref name="topic"/> instead of <c>&lt;topic&gt;-dlt</c>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class DeadLetterTopicAttribute(string topic) : Attribute
{
    /// <summary>The dead-letter topic of this handler's records.</summary>
    public string Topic { get; } = topic;
}
