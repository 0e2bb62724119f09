using System.Text;
using Confluent.Kafka;
using KafkaPipeline.Serialization;

namespace KafkaPipeline.ErrorHandling.Recovery;

/// <summary>
/// Builds the dead-letter record of a failed record: the original key and value bytes (a deserialization failure's raw
/// bytes), the original headers in order without earlier exception headers, then Spring's exception headers, then the
/// original-* headers, in Spring's order and encodings.
/// </summary>
internal static class DeadLetterRecordFactory
{
    public const string TruncationMarker = "... [truncated]";
    public const int MinHeaderBytes = 64;

    public static Message<byte[]?, byte[]?> Create(ConsumeContext context, Exception exception, DeadLetterPublishingOptions options)
    {
        var deserialization = Find<DeserializationException>(exception);
        return new Message<byte[]?, byte[]?>
        {
            Key = deserialization is null ? context.Key : deserialization.RawKey,
            Value = deserialization is null ? context.Value : deserialization.RawValue,
            Headers = CreateHeaders(context, exception, options),
        };
    }

    public static Headers CreateHeaders(ConsumeContext context, Exception exception, DeadLetterPublishingOptions options)
    {
        var headers = new Headers();
        if (context.Record.Message.Headers is { } original)
        {
            foreach (var header in original)
            {
                if (!options.StripPreviousExceptionHeaders || !DeadLetterHeaders.IsExceptionHeader(header.Key))
                {
                    headers.Add(header.Key, header.GetValueBytes());
                }
            }
        }

        var cause = Cause(exception, options.ExceptionCauseHeader);
        headers.Add(DeadLetterHeaders.ExceptionFqcn, DeadLetterHeaders.EncodeString(TypeName(exception)));
        if (cause is not null)
        {
            headers.Add(DeadLetterHeaders.ExceptionCauseFqcn, DeadLetterHeaders.EncodeString(TypeName(cause)));
        }

        // As Spring: the message, then the message of the cause the cause header names (when that is another exception).
        var message = cause is null || ReferenceEquals(cause, exception) ? exception.Message : exception.Message + "; " + cause.Message;
        headers.Add(DeadLetterHeaders.ExceptionMessage, Limit(message, options.MaxExceptionHeaderBytes));
        headers.Add(DeadLetterHeaders.ExceptionStacktrace, Limit(exception.ToString(), options.MaxExceptionHeaderBytes));

        AddOriginal(headers, DeadLetterHeaders.OriginalTopic, () => DeadLetterHeaders.EncodeString(context.Topic), options);
        AddOriginal(headers, DeadLetterHeaders.OriginalPartition, () => DeadLetterHeaders.EncodeInt32(context.Partition), options);
        AddOriginal(headers, DeadLetterHeaders.OriginalOffset, () => DeadLetterHeaders.EncodeInt64(context.Offset), options);
        AddOriginal(headers, DeadLetterHeaders.OriginalTimestamp, () => DeadLetterHeaders.EncodeInt64(context.Timestamp.UnixTimestampMs), options);
        AddOriginal(headers, DeadLetterHeaders.OriginalTimestampType, () => DeadLetterHeaders.EncodeTimestampType(context.Timestamp.Type), options);
        if (!string.IsNullOrEmpty(context.GroupId))
        {
            AddOriginal(headers, DeadLetterHeaders.OriginalConsumerGroup, () => DeadLetterHeaders.EncodeString(context.GroupId), options);
        }

        return headers;
    }

    /// <summary>UTF-8 of <paramref name="text"/>, cut at a character boundary and marked when longer than <paramref name="maxBytes"/>.</summary>
    public static byte[] Limit(string text, int maxBytes)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length <= maxBytes)
        {
            return bytes;
        }

        var marker = Encoding.UTF8.GetBytes(TruncationMarker);
        var cut = Math.Max(0, maxBytes - marker.Length);
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80)
        {
            cut--; // bytes[cut] continues a character that started earlier: cut before that character.
        }

        var result = new byte[cut + marker.Length];
        bytes.AsSpan(0, cut).CopyTo(result);
        marker.CopyTo(result.AsSpan(cut));
        return result;
    }

    /// <summary>The exception <c>kafka_dlt-exception-cause-fqcn</c> names, or null when the header is left out.</summary>
    public static Exception? Cause(Exception exception, ExceptionCauseHeader mode) => mode switch
    {
        ExceptionCauseHeader.RootCause => RootCause(exception),
        ExceptionCauseHeader.ThrownException => exception,
        _ => exception.InnerException,
    };

    /// <summary>The innermost exception of the <see cref="Exception.InnerException"/> chain (the exception itself when it has none).</summary>
    public static Exception RootCause(Exception exception)
    {
        var root = exception;
        while (root.InnerException is { } inner)
        {
            root = inner;
        }

        return root;
    }

    public static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }

    private static string TypeName(Exception exception) => exception.GetType().FullName ?? exception.GetType().Name;

    private static void AddOriginal(Headers headers, string name, Func<byte[]> value, DeadLetterPublishingOptions options)
    {
        if (options.AppendOriginalHeaders || !headers.TryGetLastBytes(name, out _))
        {
            headers.Add(name, value());
        }
    }
}
