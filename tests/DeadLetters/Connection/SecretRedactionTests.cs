using KafkaPipeline.DeadLetters.Connection;

namespace KafkaPipeline.DeadLetters.Tests.Connection;

public sealed class SecretRedactionTests
{
    [Theory]
    [InlineData("sasl.password", true)]
    [InlineData("ssl.key.password", true)]
    [InlineData("ssl.key.pem", true)]
    [InlineData("ssl.keystore.password", true)]
    [InlineData("sasl.oauthbearer.client.secret", true)]
    [InlineData("sasl.jaas.config", true)]
    [InlineData("sasl.oauthbearer.config", true)]
    [InlineData("sasl.username", false)]
    [InlineData("ssl.key.location", false)]
    [InlineData("ssl.ca.location", false)]
    [InlineData("security.protocol", false)]
    [InlineData("bootstrap.servers", false)]
    public void IsSecret_PropertyName_MasksOnlySecrets(string name, bool secret)
    {
        Assert.Equal(secret, SecretRedaction.IsSecret(name));
    }

    [Fact]
    public void ToRedactedDictionary_SecretValues_AreMasked()
    {
        var settings = new KafkaConnectionSettings { BootstrapServers = "b:1" };
        settings.Properties["sasl.password"] = "p4ss";
        settings.Properties["sasl.username"] = "me";

        var redacted = settings.ToRedactedDictionary();

        Assert.Equal(SecretRedaction.Mask, redacted["sasl.password"]);
        Assert.Equal("me", redacted["sasl.username"]);
        Assert.Equal("b:1", redacted["bootstrap.servers"]);
    }

    [Fact]
    public void Scrub_MessageContainingSecretValue_ReplacesIt()
    {
        var text = SecretRedaction.Scrub("auth failed for p4ssw0rd", [new("sasl.password", "p4ssw0rd")]);

        Assert.Equal($"auth failed for {SecretRedaction.Mask}", text);
    }
}
