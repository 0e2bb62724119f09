using KafkaPipeline.ErrorHandling.BackOff;

namespace KafkaPipeline.ErrorHandling.Tests.BackOff;

public sealed class BackOffOptionsTests
{
    [Fact]
    public void Create_FixedWithoutMaxAttempts_DefaultsToNineRetries()
    {
        var backOff = Assert.IsType<FixedBackOff>(new BackOffOptions { Interval = TimeSpan.FromSeconds(1) }.Create());

        Assert.Equal(9, backOff.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), backOff.Interval);
    }

    [Fact]
    public void Create_Exponential_CarriesEverySetting()
    {
        var options = new BackOffOptions
        {
            Kind = BackOffKind.Exponential,
            InitialInterval = TimeSpan.FromMilliseconds(100),
            Multiplier = 2,
            MaxInterval = TimeSpan.FromMilliseconds(500),
            MaxAttempts = 4,
        };

        Assert.Equal([100, 200, 400, 500, -1], BackOffSequence.Of(options.Create()));
    }

    [Fact]
    public void Create_None_StopsAtOnce()
    {
        Assert.Null(new BackOffOptions { Kind = BackOffKind.None }.Create().Start().NextBackOff());
    }

    [Fact]
    public void Validate_BrokenSettings_ListsEachWithPathAndFix()
    {
        var errors = new List<string>();
        new BackOffOptions { Multiplier = 0.5, Interval = TimeSpan.FromSeconds(-1), MaxAttempts = -2 }.Validate("Kafka:ErrorHandling:BackOff", errors);

        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Kafka:ErrorHandling:BackOff:Multiplier", StringComparison.Ordinal) && e.Contains("Fix", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Kafka:ErrorHandling:BackOff:Interval", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Kafka:ErrorHandling:BackOff:MaxAttempts", StringComparison.Ordinal));
    }
}
