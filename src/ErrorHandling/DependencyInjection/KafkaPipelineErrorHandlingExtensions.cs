using KafkaPipeline;
using KafkaPipeline.DependencyInjection;
using KafkaPipeline.ErrorHandling;
using KafkaPipeline.ErrorHandling.Configuration;
using KafkaPipeline.ErrorHandling.DependencyInjection;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.Options;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds KafkaPipeline.ErrorHandling's <c>DefaultErrorHandler</c> to a KafkaPipeline application.</summary>
public static class KafkaPipelineErrorHandlingExtensions
{
    /// <summary>
    /// Every consumer without its own error handler uses the default error handler: retries with back-off, then the
    /// dead-letter topic (unless <paramref name="configure"/> chooses otherwise). Settings come from
    /// <c>ErrorHandling</c> and <c>Consumers:&lt;groupId&gt;:ErrorHandling</c> under the section given to
    /// <c>AddKafkaPipeline(section)</c> (the application's <c>Kafka</c> section when configured in code), then from
    /// <paramref name="configure"/> (run once per consumer), then from handler attributes. Calls add up.
    /// </summary>
    public static KafkaPipelineBuilder UseDefaultErrorHandler(this KafkaPipelineBuilder builder, Action<DefaultErrorHandlerBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddServices(builder);
        if (configure is not null)
        {
            // Every group's options, in call order, after configuration (registered first by AddServices).
            builder.Services.AddSingleton<IConfigureOptions<ErrorHandlingOptions>>(new ErrorHandlingCallback(configure));
        }

        return builder.UseErrorHandler(CreateHandler);
    }

    /// <summary>
    /// This consumer uses the default error handler; <paramref name="configure"/> runs after the application-wide
    /// callbacks. Calls add up.
    /// </summary>
    public static KafkaConsumerBuilder UseDefaultErrorHandler(this KafkaConsumerBuilder builder, Action<DefaultErrorHandlerBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // AddKafkaPipeline() returns a builder over the application's existing registrations (and its configuration section).
        AddServices(builder.Services.AddKafkaPipeline());
        if (configure is not null)
        {
            // Post-configuration: after every application-wide callback, whatever the order of the calls in Program.cs.
            var groupId = builder.GroupId;
            builder.Services.AddSingleton<IPostConfigureOptions<ErrorHandlingOptions>>(
                new PostConfigureOptions<ErrorHandlingOptions>(groupId, options => configure(new DefaultErrorHandlerBuilder(groupId, options))));
        }

        return builder.UseErrorHandler(CreateHandler);
    }

    /// <summary>Registers the error-handling services (options, the shared dead-letter producer) without choosing an error handler.</summary>
    public static KafkaPipelineBuilder AddDefaultErrorHandling(this KafkaPipelineBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        AddServices(builder);
        return builder;
    }

    private static DefaultErrorHandler CreateHandler(IServiceProvider services, ConsumerDescriptor consumer) =>
        services.GetRequiredService<DefaultErrorHandlerFactory>().Create(services, consumer);

    private static ErrorHandlingRegistration AddServices(KafkaPipelineBuilder pipeline)
    {
        var services = pipeline.Services;
        if (services.FirstOrDefault(d => d.ServiceType == typeof(ErrorHandlingRegistration))?.ImplementationInstance is ErrorHandlingRegistration existing)
        {
            existing.Pipeline ??= pipeline;
            return existing;
        }

        var registration = new ErrorHandlingRegistration { Pipeline = pipeline };
        pipeline.Registry.ForeignSections.Add(ErrorHandlingSections.ErrorHandling);
        pipeline.Registry.ForeignConsumerSections.Add(ErrorHandlingSections.ErrorHandling);
        services.AddSingleton(registration);
        services.TryAddSingleton<ErrorHandlingSections>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ErrorHandlingOptions>();
        services.AddOptions<DeadLetterProducerOptions>().ValidateOnStart();
        services.TryAddSingleton<ErrorHandlingConfiguration>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<ErrorHandlingOptions>, ErrorHandlingConfiguration>(
            sp => sp.GetRequiredService<ErrorHandlingConfiguration>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<DeadLetterProducerOptions>, ErrorHandlingConfiguration>(
            sp => sp.GetRequiredService<ErrorHandlingConfiguration>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeadLetterProducerOptions>, DeadLetterProducerOptionsValidator>());
        services.TryAddSingleton<IDeadLetterProducer>(sp => new KafkaDeadLetterProducer(
            sp.GetRequiredService<IOptions<KafkaPipelineOptions>>(),
            sp.GetRequiredService<IOptions<DeadLetterProducerOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger<KafkaDeadLetterProducer>() ?? NullLogger<KafkaDeadLetterProducer>.Instance));
        services.TryAddSingleton(sp => new DefaultErrorHandlerFactory(
            sp.GetRequiredService<IOptionsFactory<ErrorHandlingOptions>>(),
            sp.GetRequiredService<IDeadLetterProducer>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        return registration;
    }
}
