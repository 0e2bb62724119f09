using KafkaPipeline.ErrorHandling.BackOff;

namespace KafkaPipeline.ErrorHandling.Tests.BackOff;

public sealed class ExponentialBackOffTests
{
    [Fact]
    public void Start_Defaults_MatchesSpringSequence()
    {
        var sequence = BackOffSequence.Of(new ExponentialBackOff(), 10);

        Assert.Equal([2000, 3000, 4500, 6750, 10125, 15187, 22780, 30000, 30000, 30000], sequence);
    }

    [Fact]
    public void Start_MultiplierTruncates_DropsFractionEachStep()
    {
        var sequence = BackOffSequence.Of(new ExponentialBackOff { InitialInterval = TimeSpan.FromMilliseconds(333), Multiplier = 1.1, MaxInterval = TimeSpan.FromMinutes(1) }, 4);

        // 333 * 1.1 = 366.3 -> 366; 366 * 1.1 = 402.6 -> 402; 402 * 1.1 = 442.2 -> 442
        Assert.Equal([333, 366, 402, 442], sequence);
    }

    [Fact]
    public void Start_MaxInterval_CapsGrowth()
    {
        var backOff = new ExponentialBackOff { InitialInterval = TimeSpan.FromMilliseconds(100), Multiplier = 3, MaxInterval = TimeSpan.FromMilliseconds(1000) };

        Assert.Equal([100, 300, 900, 1000, 1000], BackOffSequence.Of(backOff, 5));
    }

    [Fact]
    public void Start_InitialAboveMax_StartsAtMax()
    {
        var backOff = new ExponentialBackOff { InitialInterval = TimeSpan.FromSeconds(10), MaxInterval = TimeSpan.FromSeconds(5) };

        Assert.Equal([5000, 5000, 5000], BackOffSequence.Of(backOff, 3));
    }

    [Fact]
    public void Start_MaxElapsedTime_ChecksSumBeforeComputingNext()
    {
        // Sums: 2000, 5000, 9500 (< 10000: one more), 16250 -> stop.
        var backOff = new ExponentialBackOff { MaxElapsedTime = TimeSpan.FromMilliseconds(10000) };

        Assert.Equal([2000, 3000, 4500, 6750, -1], BackOffSequence.Of(backOff));
    }

    [Fact]
    public void Start_MaxElapsedTimeReachedExactly_Stops()
    {
        var backOff = new ExponentialBackOff { MaxElapsedTime = TimeSpan.FromMilliseconds(5000) };

        Assert.Equal([2000, 3000, -1], BackOffSequence.Of(backOff));
    }

    [Fact]
    public void Start_MaxAttempts_StopsAfterThatManyRetries()
    {
        var backOff = new ExponentialBackOff { MaxAttempts = 3 };

        Assert.Equal([2000, 3000, 4500, -1], BackOffSequence.Of(backOff));
    }

    [Fact]
    public void Start_MaxAttemptsAndElapsed_WhicheverComesFirst()
    {
        var backOff = new ExponentialBackOff { MaxAttempts = 10, MaxElapsedTime = TimeSpan.FromMilliseconds(4000) };

        Assert.Equal([2000, 3000, -1], BackOffSequence.Of(backOff));
    }

    [Fact]
    public void Start_MultiplierOne_FixedIntervals()
    {
        var backOff = new ExponentialBackOff { InitialInterval = TimeSpan.FromMilliseconds(250), Multiplier = 1 };

        Assert.Equal([250, 250, 250], BackOffSequence.Of(backOff, 3));
    }

    [Theory]
    [InlineData(0.99)]
    [InlineData(0)]
    [InlineData(-2)]
    [InlineData(double.NaN)]
    public void Multiplier_BelowOne_IsRejectedWithFix(double multiplier)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialBackOff { Multiplier = multiplier });

        Assert.Contains("at least 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_WithJitter_StaysWithinSpringBounds()
    {
        // Spring 7: j = jitter * (interval / initial); drawn from [max(interval - j, initial), min(interval + j, max)].
        var backOff = new ExponentialBackOff
        {
            InitialInterval = TimeSpan.FromMilliseconds(1000),
            Multiplier = 2,
            MaxInterval = TimeSpan.FromMilliseconds(10000),
            Jitter = TimeSpan.FromMilliseconds(100),
            Random = new Random(3),
        };

        for (var run = 0; run < 50; run++)
        {
            var sequence = BackOffSequence.Of(backOff, 6);
            Assert.InRange(sequence[0], 1000, 1100);
            Assert.InRange(sequence[1], 1800, 2200);
            Assert.InRange(sequence[2], 3600, 4400);
            Assert.InRange(sequence[3], 7200, 8800);
            Assert.InRange(sequence[4], 9000, 10000);
            Assert.InRange(sequence[5], 9000, 10000);
        }
    }

    [Fact]
    public void Start_WithJitter_GrowthUsesUnjitteredInterval()
    {
        var backOff = new ExponentialBackOff
        {
            InitialInterval = TimeSpan.FromMilliseconds(1000),
            Multiplier = 2,
            MaxInterval = TimeSpan.FromMinutes(10),
            Jitter = TimeSpan.FromMilliseconds(1),
            Random = new Random(5),
        };

        var sequence = BackOffSequence.Of(backOff, 5);

        Assert.InRange(sequence[4], 16000 - 16, 16000 + 16);
    }

    [Fact]
    public void Start_SameSeed_SameSequence()
    {
        ExponentialBackOff Create() => new() { Jitter = TimeSpan.FromMilliseconds(500), Random = new Random(9) };

        Assert.Equal(BackOffSequence.Of(Create(), 12), BackOffSequence.Of(Create(), 12));
    }
}
