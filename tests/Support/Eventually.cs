namespace KafkaPipeline.Tests.Support;

/// <summary>Waits for a condition with a deadline, polling it; never a bare sleep standing in for synchronisation.</summary>
public static class Eventually
{
    /// <summary>How long a wait lasts when the caller names no timeout.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>Waits until <paramref name="condition"/> holds; throws <see cref="TimeoutException"/> naming <paramref name="what"/> after the timeout.</summary>
    public static Task True(Func<bool> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        Until(() => Task.FromResult(condition()), () => what, timeout, interval);

    /// <summary>As <see cref="True(Func{bool}, string, TimeSpan?, TimeSpan?)"/>; <paramref name="describe"/> is called only on time-out (e.g. to add a process's output).</summary>
    public static Task True(Func<bool> condition, Func<string> describe, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        Until(() => Task.FromResult(condition()), describe, timeout, interval);

    /// <summary>Waits until the asynchronous <paramref name="condition"/> holds (e.g. a database query).</summary>
    public static Task True(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? interval = null) =>
        Until(condition, () => what, timeout, interval);

    private static async Task Until(Func<Task<bool>> condition, Func<string> describe, TimeSpan? timeout, TimeSpan? interval)
    {
        var limit = timeout ?? DefaultTimeout;
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {limit} waiting for: {describe()}");
            }

            await Task.Delay(interval ?? DefaultInterval);
        }
    }
}
