using KafkaPipeline.Deduplication;

namespace KafkaPipeline.Tests.Support.Deduplication;

/// <summary>Starts one reservation per store at the same moment (released together by one gate).</summary>
public static class Contention
{
    public static async Task<ReservationStatus[]> ReserveAllAtOnceAsync(IEnumerable<IDeduplicationStore> stores, string key, TimeSpan lease)
    {
        using var start = new ManualResetEventSlim();
        var attempts = stores.Select(s => Task.Run(async () =>
        {
            start.Wait();
            return await s.TryReserveAsync(key, lease, default);
        })).ToArray();
        start.Set();
        return await Task.WhenAll(attempts);
    }
}
