using KafkaPipeline.ErrorHandling.BackOff;

namespace KafkaPipeline.ErrorHandling.Tests.BackOff;

public sealed class ExponentialBackOffWithMaxRetriesTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(12)]
    public void Start_MaxRetries_ExactlyThatManyIntervals(int retries)
    {
        var sequence = BackOffSequence.Of(new ExponentialBackOffWithMaxRetries(retries));

        Assert.Equal(retries, sequence.Count(i => i >= 0));
        Assert.Equal(-1, sequence[^1]);
    }

    [Fact]
    public void Start_CustomIntervals_GrowAndCap()
    {
        var backOff = new ExponentialBackOffWithMaxRetries(5)
        {
            InitialInterval = TimeSpan.FromMilliseconds(500),
            Multiplier = 2,
            MaxInterval = TimeSpan.FromMilliseconds(3000),
        };

        Assert.Equal([500, 1000, 2000, 3000, 3000, -1], BackOffSequence.Of(backOff));
        Assert.Equal(5, backOff.MaxRetries);
    }

    [Fact]
    public void Constructor_NegativeRetries_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialBackOffWithMaxRetries(-1));
    }
}
