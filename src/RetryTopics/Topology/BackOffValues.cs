using KafkaPipeline.RetryTopics.Configuration;

namespace KafkaPipeline.RetryTopics.Topology;

/// <summary>
/// The delays of the retry attempts, one per attempt after the first (spring-kafka's <c>BackOffValuesGenerator</c>): a
/// fixed delay repeated, or an exponential one: the delay, then each previous one times the multiplier (truncated to whole
/// milliseconds), capped at the maximum delay.
/// </summary>
internal static class BackOffValues
{
    public static IReadOnlyList<long> Generate(RetryTopicOptions options)
    {
        var count = Math.Max(0, options.Attempts - 1);
        var values = new long[count];
        var max = (long)options.MaxDelay.TotalMilliseconds;
        var current = (long)options.Delay.TotalMilliseconds;
        if (options.Multiplier >= 1 && current > max)
        {
            current = max;
        }

        for (var i = 0; i < count; i++)
        {
            values[i] = current;
            if (options.Multiplier >= 1)
            {
                current = (long)Math.Min(current * options.Multiplier, max);
            }
        }

        return values;
    }
}
