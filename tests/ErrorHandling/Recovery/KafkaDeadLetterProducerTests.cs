using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.Options;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaPipeline.ErrorHandling.Tests.Recovery;

public sealed class KafkaDeadLetterProducerTests
{
    [Fact]
    public void CreateConfig_UserSettings_LayeredAndSafetyForced()
    {
        var pipeline = new KafkaPipelineOptions { BootstrapServers = "broker:9092" };
        pipeline.Client["security.protocol"] = "SASL_SSL";
        pipeline.Client["acks"] = "1";
        var options = new DeadLetterProducerOptions();
        options.Client["enable.idempotence"] = "false";
        options.Client["linger.ms"] = "20";

        var config = KafkaDeadLetterProducer.CreateConfig(pipeline, options, NullLogger.Instance);

        Assert.Equal("broker:9092", config.BootstrapServers);
        Assert.Equal("SASL_SSL", config.Get("security.protocol"));
        Assert.Equal("20", config.Get("linger.ms"));
        Assert.Equal("all", config.Get("acks"));
        Assert.Equal("true", config.Get("enable.idempotence"));
        Assert.Equal(30000, config.MessageTimeoutMs);
    }

    [Fact]
    public void CreateConfig_UserDeliveryTimeoutSetting_Kept()
    {
        var options = new DeadLetterProducerOptions();
        options.Client["delivery.timeout.ms"] = "90000";

        var config = KafkaDeadLetterProducer.CreateConfig(new KafkaPipelineOptions { BootstrapServers = "b:1" }, options, NullLogger.Instance);

        Assert.Null(config.Get("message.timeout.ms"));
        Assert.Equal("90000", config.Get("delivery.timeout.ms"));
    }

    [Fact]
    public void CreateConfig_SharedConsumerOnlySettings_NotPassedToTheProducer()
    {
        var pipeline = new KafkaPipelineOptions { BootstrapServers = "b:1" };
        pipeline.Client["fetch.queue.backoff.ms"] = "20";
        pipeline.Client["session.timeout.ms"] = "6000";
        pipeline.Client["socket.timeout.ms"] = "9000";

        var config = KafkaDeadLetterProducer.CreateConfig(pipeline, new DeadLetterProducerOptions(), NullLogger.Instance);

        Assert.Null(config.Get("fetch.queue.backoff.ms"));
        Assert.Null(config.Get("session.timeout.ms"));
        Assert.Equal("9000", config.Get("socket.timeout.ms"));
    }

    [Fact]
    public void CreateConfig_NoLingerSet_ZeroElseTheUsers()
    {
        var pipeline = new KafkaPipelineOptions { BootstrapServers = "b:1" };

        Assert.Equal(0, KafkaDeadLetterProducer.CreateConfig(pipeline, new DeadLetterProducerOptions(), NullLogger.Instance).LingerMs);

        pipeline.Client["linger.ms"] = "7";
        Assert.Equal(7, KafkaDeadLetterProducer.CreateConfig(pipeline, new DeadLetterProducerOptions(), NullLogger.Instance).LingerMs);
    }
}
