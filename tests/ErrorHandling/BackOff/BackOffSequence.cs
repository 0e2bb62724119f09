using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.Errors;

namespace KafkaPipeline.ErrorHandling.Tests.BackOff;

internal static class BackOffSequence
{
    /// <summary>Intervals in ms until STOP (or <paramref name="limit"/> intervals); STOP is shown as -1.</summary>
    public static long[] Of(IBackOff backOff, int limit = 50)
    {
        var execution = backOff.Start();
        var result = new List<long>();
        for (var i = 0; i < limit; i++)
        {
            var next = execution.NextBackOff();
            result.Add(next is { } interval ? (long)interval.TotalMilliseconds : -1);
            if (next is null)
            {
                break;
            }
        }

        return [.. result];
    }
}
