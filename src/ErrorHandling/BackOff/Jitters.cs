namespace KafkaPipeline.ErrorHandling.BackOff;

/// <summary>Uniform draws for jittered intervals; locks a caller-supplied <see cref="Random"/> (which is not thread-safe).</summary>
internal static class Jitters
{
    /// <summary>A value in [<paramref name="min"/>, <paramref name="max"/>) milliseconds, or <paramref name="min"/> when the range is empty.</summary>
    public static long Between(Random random, long min, long max)
    {
        if (max <= min)
        {
            return min;
        }

        double sample;
        if (ReferenceEquals(random, Random.Shared))
        {
            sample = random.NextDouble();
        }
        else
        {
            lock (random)
            {
                sample = random.NextDouble();
            }
        }

        return min + (long)(sample * (max - min));
    }
}
