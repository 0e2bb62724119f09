using System.Text.Json;

namespace KafkaPipeline.Benchmarks.Throughput;

/// <summary>The benchmark's JSON record (~200 bytes serialized with the library's default web options).</summary>
public sealed record BenchOrder(
    long Id,
    int Sequence,
    string OrderId,
    string Customer,
    string Sku,
    int Quantity,
    decimal Amount,
    string Currency,
    DateTimeOffset CreatedAt,
    string Note)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    /// <summary>The JSON of record <paramref name="id"/>, padded (in <see cref="Note"/>) to exactly <paramref name="bytes"/> bytes.</summary>
    public static byte[] Json(long id, int sequence, int bytes)
    {
        var order = new BenchOrder(id, sequence, $"ord-{id:D8}", $"customer-{id % 977:D4}", $"SKU-{id % 53:D3}", (int)(id % 7) + 1,
            ((id % 10_000) + 1) / 100m, "EUR", new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(id), string.Empty);
        var json = JsonSerializer.SerializeToUtf8Bytes(order, Web);
        var padding = bytes - json.Length;
        if (padding < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes), bytes, $"A record needs at least {json.Length} bytes.");
        }

        return JsonSerializer.SerializeToUtf8Bytes(order with { Note = new string('x', padding) }, Web);
    }
}
