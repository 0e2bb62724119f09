using KafkaPipeline.Native;

namespace KafkaPipeline.Tests;

public sealed class ClientScopesTests
{
    private static readonly Dictionary<string, string> Shared = new(StringComparer.Ordinal)
    {
        ["security.protocol"] = "SASL_SSL",
        ["fetch.wait.max.ms"] = "50",
        ["linger.ms"] = "10",
    };

    [Fact]
    public void ForConsumer_ProducerOnlySettingLeftOut()
    {
        var settings = ClientScopes.ForConsumer(Shared);

        Assert.Equal(["fetch.wait.max.ms", "security.protocol"], settings.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ForProducer_ConsumerOnlySettingLeftOut()
    {
        var settings = ClientScopes.ForProducer(Shared);

        Assert.Equal(["linger.ms", "security.protocol"], settings.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ForAdmin_BothLeftOut()
    {
        Assert.Equal(["security.protocol"], ClientScopes.ForAdmin(Shared).Keys);
    }
}
