using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KafkaPipeline.Deduplication;

/// <summary>Builds the store key of a record: group, then message id, selector result or coordinates.</summary>
internal static class DeduplicationKey
{
    public static string For(ConsumeContext context, DeduplicationOptions options)
    {
        var id = FromHeader(context, options.HeaderName) ?? Select(context, options);
        var key = id is null
            ? string.Create(CultureInfo.InvariantCulture, $"{context.GroupId}|{context.Topic}|{context.Partition}|{context.Offset}")
            : string.Concat(context.GroupId, "|", id);
        return key.Length <= options.MaxKeyLength ? key : Hash(key);
    }

    private static string? FromHeader(ConsumeContext context, string headerName)
    {
        var headers = context.Record.Message.Headers;
        if (headers is null || headers.Count == 0)
        {
            return null;
        }

        return headers.TryGetLastBytes(headerName, out var bytes) && bytes is { Length: > 0 } ? Encoding.UTF8.GetString(bytes) : null;
    }

    private static string? Select(ConsumeContext context, DeduplicationOptions options)
    {
        if (options.KeySelector is null)
        {
            return null;
        }

        try
        {
            return options.KeySelector(context);
        }
        catch (Exception ex)
        {
            throw new DeduplicationKeyException(
                $"The deduplication key selector threw for {context}. Fix DeduplicationOptions.KeySelector; the record goes to the recoverer.", ex);
        }
    }

    private static string Hash(string key)
    {
        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(key.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(key, bytes);
            return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(0, length)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }
}

/// <summary>The key selector failed. Not retryable: the same record would fail the same way.</summary>
public sealed class DeduplicationKeyException(string message, Exception innerException) : Exception(message, innerException);

/// <summary>Another consumer is processing the same message (its lease has not expired). Retryable.</summary>
public sealed class DeduplicationInProgressException(string key)
    : Exception($"Message '{key}' is being processed by another consumer (its reservation lease has not expired); retrying later.")
{
    public string Key { get; } = key;
}
