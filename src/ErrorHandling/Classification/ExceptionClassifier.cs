using System.Text.Json;
using KafkaPipeline.Deduplication;
using KafkaPipeline.Handlers;
using KafkaPipeline.Serialization;

namespace KafkaPipeline.ErrorHandling.Classification;

/// <summary>
/// Decides whether a failure is worth retrying (spring-kafka's <c>ExceptionClassifier</c>). A table maps exception
/// types to retryable/not retryable; types not in it get <see cref="DefaultRetryable"/>. Classification walks the
/// <see cref="Exception.InnerException"/> chain: an exception whose own type has an entry is decided by that entry (so
/// an explicit entry for the outer type wins); one matched only through a base type, or not at all, is decided by the
/// first inner exception with a non-default answer. Configure before the consumer starts; reads are then thread-safe.
/// </summary>
public sealed class ExceptionClassifier
{
    private readonly Dictionary<Type, bool> _table = [];

    /// <summary>Retry everything except <see cref="DefaultNotRetryable"/>.</summary>
    public ExceptionClassifier()
    {
        foreach (var type in DefaultNotRetryable)
        {
            _table[type] = false;
        }
    }

    /// <summary>
    /// Not retryable by default, because the same record fails the same way every time: deserialization and
    /// message-conversion failures, casts, missing methods, no handler, a throwing deduplication key selector.
    /// </summary>
    public static IReadOnlyList<Type> DefaultNotRetryable { get; } =
    [
        typeof(DeserializationException),
        typeof(JsonException),
        typeof(InvalidCastException),
        typeof(MissingMethodException),
        typeof(HandlerNotFoundException),
        typeof(DeduplicationKeyException),
    ];

    /// <summary>The answer for types without an entry. True unless <see cref="RetryNothingByDefault"/> was called.</summary>
    public bool DefaultRetryable { get; private set; } = true;

    /// <summary>The explicit entries: type → retryable.</summary>
    public IReadOnlyDictionary<Type, bool> Classifications => _table;

    /// <summary>Failures of these types (and subtypes) go to the recoverer on the first failure.</summary>
    public ExceptionClassifier AddNotRetryable(params Type[] exceptionTypes) => Add(false, exceptionTypes);

    /// <summary>Failures caused by <typeparamref name="TException"/> (or a subtype) are not retried.</summary>
    public ExceptionClassifier AddNotRetryable<TException>()
        where TException : Exception => Add(false, typeof(TException));

    /// <summary>Failures of these types are retried; use after <see cref="RetryNothingByDefault"/> or to override a default entry.</summary>
    public ExceptionClassifier AddRetryable(params Type[] exceptionTypes) => Add(true, exceptionTypes);

    /// <summary>Failures caused by <typeparamref name="TException"/> (or a subtype) are retried.</summary>
    public ExceptionClassifier AddRetryable<TException>()
        where TException : Exception => Add(true, typeof(TException));

    /// <summary>Removes the entry of <paramref name="exceptionType"/>; returns its classification, or null if there was none.</summary>
    public bool? Remove(Type exceptionType)
    {
        ArgumentNullException.ThrowIfNull(exceptionType);
        return _table.Remove(exceptionType, out var retryable) ? retryable : null;
    }

    /// <summary>Removes the entry of <typeparamref name="TException"/>; returns its classification, or null if there was none.</summary>
    public bool? Remove<TException>()
        where TException : Exception => Remove(typeof(TException));

    /// <summary>Replaces the whole table (the defaults included) and the answer for unlisted types.</summary>
    public ExceptionClassifier ReplaceClassifications(IEnumerable<KeyValuePair<Type, bool>> classifications, bool defaultRetryable)
    {
        ArgumentNullException.ThrowIfNull(classifications);
        var entries = classifications.ToList();
        foreach (var (type, _) in entries)
        {
            EnsureException(type);
        }

        _table.Clear();
        foreach (var (type, retryable) in entries)
        {
            _table[type] = retryable;
        }

        DefaultRetryable = defaultRetryable;
        return this;
    }

    /// <summary>
    /// "Nothing retryable by default": unlisted types go straight to the recoverer; list the retryable ones with
    /// <see cref="AddRetryable(Type[])"/>. The explicit entries are kept when <paramref name="keepEntries"/> is true
    /// (default), so a not-retryable exception that wraps a retryable one stays not retryable.
    /// </summary>
    public ExceptionClassifier RetryNothingByDefault(bool keepEntries = true)
    {
        if (!keepEntries)
        {
            _table.Clear();
        }

        DefaultRetryable = false;
        return this;
    }

    /// <summary>True when <paramref name="exception"/> should be retried (see the class remarks for the chain rules).</summary>
    public bool IsRetryable(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var current = exception; current is not null; current = current.InnerException)
        {
            var type = current.GetType();
            if (_table.TryGetValue(type, out var exact))
            {
                return exact;
            }

            if (NearestBaseEntry(type) is { } inherited && inherited != DefaultRetryable)
            {
                return inherited;
            }
        }

        return DefaultRetryable;
    }

    /// <summary>An independent copy (handler attributes extend a copy of the consumer's classifier).</summary>
    public ExceptionClassifier Clone()
    {
        var copy = new ExceptionClassifier();
        copy._table.Clear();
        foreach (var (type, retryable) in _table)
        {
            copy._table[type] = retryable;
        }

        copy.DefaultRetryable = DefaultRetryable;
        return copy;
    }

    private bool? NearestBaseEntry(Type type)
    {
        for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
        {
            if (_table.TryGetValue(baseType, out var retryable))
            {
                return retryable;
            }
        }

        return null;
    }

    private ExceptionClassifier Add(bool retryable, params Type[] exceptionTypes)
    {
        ArgumentNullException.ThrowIfNull(exceptionTypes);
        foreach (var type in exceptionTypes)
        {
            EnsureException(type);
        }

        foreach (var type in exceptionTypes)
        {
            _table[type] = retryable;
        }

        return this;
    }

    private static void EnsureException(Type? type)
    {
        if (type is null)
        {
            throw new ArgumentException("An exception type in the classification is null. Fix: remove the null entry.", nameof(type));
        }

        if (!typeof(Exception).IsAssignableFrom(type))
        {
            throw new ArgumentException(
                $"{type.FullName} is not an exception type and cannot be classified. Fix: list types deriving from System.Exception.", nameof(type));
        }
    }
}
