using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace KafkaPipeline.IntegrationTests.Concurrency;

/// <summary>
/// The handler of a concurrency run: random latency (mostly none, 10 % of records 1-3 ms), 1 % of records always
/// failing (dead-lettered after their retries), 2 % failing on their first delivery only.
/// </summary>
internal sealed class ConcurrencyHandler(ConcurrencyProbe probe, FailureScript failures) : IMessageHandler<byte[]>
{
    public ValueTask HandleAsync(byte[] message, ConsumeContext context, CancellationToken cancellationToken) =>
        probe.DeliverAsync(context, async () =>
        {
            if (Random.Shared.Next(10) == 0)
            {
                await Task.Delay(Random.Shared.Next(1, 4), cancellationToken);
            }
            else
            {
                await Task.Yield();
            }

            failures.ThrowIfScripted(int.Parse(Encoding.UTF8.GetString(message), CultureInfo.InvariantCulture));
        });
}

/// <summary>Which record ids fail: always (1 %), or once (2 %).</summary>
internal sealed class FailureScript
{
    private readonly ConcurrentDictionary<int, bool> _failedOnce = new();

    public static bool AlwaysFails(int id) => id % 100 == 7;

    public static bool FailsOnce(int id) => id % 50 == 13;

    public void ThrowIfScripted(int id)
    {
        if (AlwaysFails(id))
        {
            throw new InvalidOperationException($"record {id} always fails");
        }

        if (FailsOnce(id) && _failedOnce.TryAdd(id, true))
        {
            throw new TimeoutException($"record {id} fails once");
        }
    }
}
