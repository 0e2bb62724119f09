using KafkaPipeline.ErrorHandling.BackOff;

namespace KafkaPipeline.ErrorHandling.Tests.BackOff;

public sealed class FixedBackOffTests
{
    [Fact]
    public void Start_IntervalAndThreeAttempts_ThreeIntervalsThenStop()
    {
        var sequence = BackOffSequence.Of(new FixedBackOff(TimeSpan.FromMilliseconds(1000), 3));

        Assert.Equal([1000, 1000, 1000, -1], sequence);
    }

    [Fact]
    public void Start_SpringDefaultHandlerBackOff_NineRetriesMeanTenDeliveries()
    {
        var sequence = BackOffSequence.Of(new FixedBackOff(TimeSpan.Zero, 9));

        Assert.Equal(9, sequence.Count(i => i == 0));
        Assert.Equal(-1, sequence[^1]);
        Assert.Equal(10, sequence.Length);
    }

    [Fact]
    public void NoRetries_FirstCall_Stops()
    {
        Assert.Null(FixedBackOff.NoRetries.Start().NextBackOff());
    }

    [Fact]
    public void Start_AfterStop_KeepsStopping()
    {
        var execution = new FixedBackOff(TimeSpan.FromSeconds(1), 1).Start();
        execution.NextBackOff();

        Assert.Null(execution.NextBackOff());
        Assert.Null(execution.NextBackOff());
    }

    [Fact]
    public void Start_TwoExecutions_AreIndependent()
    {
        var backOff = new FixedBackOff(TimeSpan.FromSeconds(1), 1);
        var first = backOff.Start();
        first.NextBackOff();

        Assert.Null(first.NextBackOff());
        Assert.Equal(TimeSpan.FromSeconds(1), backOff.Start().NextBackOff());
    }

    [Fact]
    public void Constructor_Default_IsSpringDefaultFiveSecondsUnlimited()
    {
        var backOff = new FixedBackOff();

        Assert.Equal(TimeSpan.FromSeconds(5), backOff.Interval);
        Assert.Equal(FixedBackOff.UnlimitedAttempts, backOff.MaxAttempts);
        Assert.Equal(100, BackOffSequence.Of(backOff, 100).Count(i => i == 5000));
    }

    [Fact]
    public void Constructor_NegativeArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedBackOff(TimeSpan.FromMilliseconds(-1), 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedBackOff(TimeSpan.Zero, -1));
    }

    [Fact]
    public void Start_WithJitter_StaysWithinIntervalPlusMinusJitter()
    {
        var backOff = new FixedBackOff(TimeSpan.FromMilliseconds(1000), 200) { Jitter = TimeSpan.FromMilliseconds(300), Random = new Random(7) };

        var sequence = BackOffSequence.Of(backOff, 300).Where(i => i >= 0).ToArray();

        Assert.Equal(200, sequence.Length);
        Assert.All(sequence, i => Assert.InRange(i, 700, 1300));
        Assert.True(sequence.Distinct().Count() > 10, "jitter should spread the intervals");
    }

    [Fact]
    public void Start_JitterLargerThanInterval_NeverNegative()
    {
        var backOff = new FixedBackOff(TimeSpan.FromMilliseconds(100), 100) { Jitter = TimeSpan.FromMilliseconds(500), Random = new Random(1) };

        Assert.All(BackOffSequence.Of(backOff, 100), i => Assert.InRange(i, 0, 600));
    }

    [Fact]
    public void Start_SameSeed_SameSequence()
    {
        FixedBackOff Create() => new(TimeSpan.FromMilliseconds(1000), 20) { Jitter = TimeSpan.FromMilliseconds(500), Random = new Random(42) };

        Assert.Equal(BackOffSequence.Of(Create()), BackOffSequence.Of(Create()));
    }
}
