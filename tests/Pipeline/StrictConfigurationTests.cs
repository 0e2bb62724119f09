using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using static KafkaPipeline.Tests.ConfigurationValidationTests;

namespace KafkaPipeline.Tests;

/// <summary>Configuration mistakes fail the start with the path and the fix instead of being dropped (issue 10, point 3).</summary>
public sealed class StrictConfigurationTests
{
    [Fact]
    public async Task Start_UnknownEnumValueInConsumerSection_FailsNamingPathAndValues()
    {
        var message = await StartFails(("Kafka:Consumers:g:CommitMode", "PerMessage"));

        Assert.Contains("Kafka:Consumers:g:CommitMode 'PerMessage' is not a valid CommitMode", message);
        Assert.Contains("Fix: use one of StoredOffsets, PerRecord", message);
    }

    [Fact]
    public async Task Start_MisspelledConsumerKey_FailsSuggestingTheName()
    {
        var message = await StartFails(("Kafka:Consumers:g:CommitMod", "PerRecord"));

        Assert.Contains("Kafka:Consumers:g:CommitMod is not a setting of KafkaConsumerOptions", message);
        Assert.Contains("did you mean 'CommitMode'?", message);
    }

    [Fact]
    public async Task Start_SettingOfAnotherLibrary_FailsListingKnownKeys()
    {
        var message = await StartFails(("Kafka:Consumers:g:MaxPollRecords", "500"));

        Assert.Contains("Kafka:Consumers:g:MaxPollRecords is not a setting", message);
        Assert.Contains("MaxBufferedRecords", message);
    }

    [Fact]
    public async Task Start_UnknownTopLevelKey_Fails()
    {
        var message = await StartFails(("Kafka:BootstrapServer", "localhost:9092"));

        Assert.Contains("Kafka:BootstrapServer is not a setting of KafkaPipelineOptions", message);
        Assert.Contains("did you mean 'BootstrapServers'?", message);
    }

    [Fact]
    public async Task Start_BadDurationInDeduplication_FailsNamingPath()
    {
        var message = await StartFails(("Kafka:Deduplication:Lease", "five minutes"));

        Assert.Contains("Kafka:Deduplication:Lease", message);
        Assert.Contains("Fix:", message);
    }

    [Fact]
    public async Task Start_CodeOnlySettingInConfiguration_FailsSayingSo()
    {
        var message = await StartFails(("Kafka:Deduplication:KeySelector", "x"));

        Assert.Contains("Kafka:Deduplication:KeySelector can only be set in code", message);
    }

    [Fact]
    public async Task Start_ErrorHandlingSectionWithoutDefaultErrorHandler_IsUnknown()
    {
        var message = await StartFails(("Kafka:ErrorHandling:Recoverer", "Log"));

        Assert.Contains("Kafka:ErrorHandling is not a setting", message);
    }

    [Fact]
    public async Task Start_ConsumersSectionForGroupWithoutHandler_Fails()
    {
        var message = await StartFails(("Kafka:Consumers:orders-typo:MaxConcurrency", "4"));

        Assert.Contains("Kafka:Consumers:orders-typo configures group 'orders-typo', but no handler is registered", message);
        Assert.Contains("groups with handlers: g", message);
    }

    [Fact]
    public async Task Start_UnknownLibrdkafkaKey_FailsBeforeStartNamingPath()
    {
        var message = await StartFails(("Kafka:Client:no.such.property", "1"));

        Assert.Contains("Kafka:Client:no.such.property is not a librdkafka setting", message);
    }

    [Fact]
    public async Task Start_InvalidLibrdkafkaValueForOneConsumer_FailsNamingPath()
    {
        var message = await StartFails(("Kafka:Consumers:g:Client:session.timeout.ms", "soon"));

        Assert.Contains("Kafka:Consumers:g:Client:session.timeout.ms 'soon' is refused by librdkafka", message);
    }

    [Fact]
    public async Task Start_SettingsLibrdkafkaRefusesAtClientCreation_FailTheStart()
    {
        var message = await StartFails(("Kafka:Client:security.protocol", "ssl"), ("Kafka:Client:ssl.ca.location", "/no/such/ca.pem"));

        Assert.Contains("Kafka:Consumers:g: librdkafka refused to create the consumer", message);
        Assert.Contains("ssl.ca.location", message);
    }

    [Fact]
    public async Task Start_SeveralMistakes_ReportedTogether()
    {
        var message = await StartFails(("Kafka:Consumers:g:CommitMod", "x"), ("Kafka:Client:no.such.property", "1"), ("Kafka:Consumers:g:Ordering", "Random"));

        Assert.Contains("CommitMod", message);
        Assert.Contains("no.such.property", message);
        Assert.Contains("Kafka:Consumers:g:Ordering 'Random'", message);
    }

    [Fact]
    public void Options_ValidSettings_BindAndValidate()
    {
        using var provider = Provider(
            ("Kafka:Client:session.timeout.ms", "6000"),
            ("Kafka:Consumers:g:CommitMode", "perrecord"),
            ("Kafka:Consumers:g:Client:fetch.wait.max.ms", "50"),
            ("Kafka:Consumers:g:PollTimeout", "00:00:00.050"),
            ("Kafka:Deduplication:Resilience:CircuitBreakerEnabled", "false"));

        var options = provider.GetRequiredService<IOptions<Options.KafkaPipelineOptions>>().Value;

        Assert.Equal(Options.CommitMode.PerRecord, options.Consumers["g"].CommitMode);
        Assert.Equal("50", options.Consumers["g"].Client["fetch.wait.max.ms"]);
    }

    [Fact]
    public void Options_WholeConfigurationGiven_OtherApplicationKeysAreNotReported()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BootstrapServers"] = "127.0.0.1:1",
            ["DefaultGroupId"] = "g",
            ["Logging:LogLevel:Default"] = "Information",
        }).Build();
        var services = new ServiceCollection();
        services.AddKafkaPipeline(configuration).AddHandler<OrderHandler>("orders");
        using var provider = services.BuildServiceProvider();

        Assert.Equal("g", provider.GetRequiredService<IOptions<Options.KafkaPipelineOptions>>().Value.DefaultGroupId);
    }

    [Fact]
    public void AddHandler_SameHandlerRegisteredTwice_IsRegisteredOnceAndValidates()
    {
        var services = new ServiceCollection();
        var builder = services.AddKafkaPipeline(o => (o.BootstrapServers, o.DefaultGroupId) = ("127.0.0.1:1", "g"))
            .AddHandler<OrderHandler>("orders")
            .AddHandler<OrderHandler>("orders");
        using var provider = services.BuildServiceProvider();

        Assert.Single(builder.Registry.Handlers);
        Assert.NotNull(provider.GetRequiredService<IOptions<Options.KafkaPipelineOptions>>().Value);
    }

    [Fact]
    public void AddHandlersFromAssembly_CalledTwice_RegistersEachHandlerOnce()
    {
        var services = new ServiceCollection();
        var once = services.AddKafkaPipeline().AddHandlersFromAssembly(typeof(AttributedHandler).Assembly).Registry.Handlers.Count;

        var builder = services.AddKafkaPipeline().AddHandlersFromAssembly(typeof(AttributedHandler).Assembly);

        Assert.Equal(once, builder.Registry.Handlers.Count);
        Assert.Single(services, d => d.ServiceType == typeof(AttributedHandler));
    }

    private static ServiceProvider Provider(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(settings)).Build();
        var services = new ServiceCollection();
        services.AddKafkaPipeline(configuration.GetSection("Kafka")).AddHandler<OrderHandler>("orders");
        return services.BuildServiceProvider();
    }

    private static async Task<string> StartFails(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(Settings(settings));
        builder.Services.AddKafkaPipeline(builder.Configuration.GetSection("Kafka")).AddHandler<OrderHandler>("orders");
        using var host = builder.Build();

        var ex = await Record.ExceptionAsync(() => host.StartAsync());
        await host.StopAsync();

        // Several options types failing at once arrive together, as an AggregateException of validation failures.
        var failures = ex is AggregateException all ? all.InnerExceptions : [Assert.IsType<OptionsValidationException>(ex)];
        Assert.All(failures, f => Assert.IsType<OptionsValidationException>(f));
        return string.Join(Environment.NewLine, failures.Select(f => f.Message));
    }

    private static Dictionary<string, string?> Settings((string Key, string Value)[] settings)
    {
        var all = new Dictionary<string, string?> { ["Kafka:BootstrapServers"] = "127.0.0.1:1", ["Kafka:DefaultGroupId"] = "g" };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        return all;
    }
}
