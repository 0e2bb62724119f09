namespace KafkaPipeline.Benchmarks;

/// <summary>Waits for a value task without allocating when it already completed (the benchmarks run synchronously).</summary>
internal static class Sync
{
    public static T Wait<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    public static void Wait(ValueTask task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            task.AsTask().GetAwaiter().GetResult();
        }
    }
}
