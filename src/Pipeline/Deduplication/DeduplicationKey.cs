using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KafkaPipeline.Deduplication;

/// <summary>
/// Builds the store key of a record: <c>group|message-id</c> from the header, else <c>group|selector result</c>,
/// else the record's coordinates and timestamp, <c>group|topic|partition|offset|timestamp-ms</c>. Coordinates alone are
/// not an identity: a topic deleted and recreated reuses offsets, so the timestamp tells two records at the same
/// coordinates apart. Keys longer than <see cref="DeduplicationOptions.MaxKeyLength"/> become <c>sha256:</c> + 64 hex
/// digits. Public so custom deduplication steps (e.g. a transactional inbox) key records alike.
/// </summary>
public static class DeduplicationKey
{
    /// <summary>The key of <paramref name="context"/>'s record.</summary>
    /// <exception cref="DeduplicationKeyException">The key selector threw (not retryable).</exception>
    public static string For(ConsumeContext context, DeduplicationOptions options) => For(context, options, out _);

    /// <summary>The key, and whether it was made from the record's coordinates (no message id, no selector result).</summary>
    internal static string For(ConsumeContext context, DeduplicationOptions options, out bool byCoordinates)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var id = FromHeader(context, options.HeaderName) ?? Select(context, options);
        byCoordinates = id is null;
        var key = id is null
            ? string.Create(CultureInfo.InvariantCulture,
                $"{context.GroupId}|{context.Topic}|{context.Partition}|{context.Offset}|{context.Timestamp.UnixTimestampMs}")
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
