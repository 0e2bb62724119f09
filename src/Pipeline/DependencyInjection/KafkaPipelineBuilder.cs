using System.Reflection;
using KafkaPipeline.Building;
using KafkaPipeline.Deduplication;
using KafkaPipeline.Errors;
using KafkaPipeline.Handlers;
using KafkaPipeline.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KafkaPipeline.DependencyInjection;

/// <summary>Configures KafkaPipeline in Program.cs; returned by <c>AddKafkaPipeline</c>.</summary>
public sealed class KafkaPipelineBuilder
{
    internal KafkaPipelineBuilder(IServiceCollection services, KafkaPipelineRegistry registry)
    {
        Services = services;
        Registry = registry;
    }

    /// <summary>The application's services, for extension methods that register more.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The configuration section given to <c>AddKafkaPipeline(section)</c>, or null when configured in code.</summary>
    public Microsoft.Extensions.Configuration.IConfiguration? Configuration => Registry.Configuration;

    internal KafkaPipelineRegistry Registry { get; }

    /// <summary>Registers <typeparamref name="THandler"/> for <paramref name="topic"/>.</summary>
    public KafkaPipelineBuilder AddHandler<THandler>(string topic, string? groupId = null, Type? messageType = null, string? messageTypeName = null)
        where THandler : class =>
        AddHandler(typeof(THandler), topic, groupId, messageType, messageTypeName, "AddHandler");

    /// <summary>Registers every class of <paramref name="assembly"/> marked with <see cref="KafkaHandlerAttribute"/>.</summary>
    public KafkaPipelineBuilder AddHandlersFromAssembly(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        foreach (var type in assembly.GetTypes().Where(t => t.IsClass).OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            foreach (var attribute in type.GetCustomAttributes<KafkaHandlerAttribute>(inherit: false))
            {
                Add(new HandlerRegistration(type, attribute.Topic, attribute.GroupId, attribute.MessageType, attribute.MessageTypeName, "[KafkaHandler]")
                {
                    Ordering = attribute.OrderingIfSet,
                    MaxConcurrency = attribute.MaxConcurrencyIfSet,
                });
            }
        }

        return this;
    }

    /// <summary>Configures the pipeline of every consumer without its own.</summary>
    public KafkaPipelineBuilder ConfigurePipeline(Action<ConsumePipelineBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(Registry.Pipeline);
        return this;
    }

    /// <summary>Configures one consumer (by group id): its own pipeline or error handler.</summary>
    public KafkaPipelineBuilder ConfigureConsumer(string groupId, Action<KafkaConsumerBuilder> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        ArgumentNullException.ThrowIfNull(configure);
        configure(new KafkaConsumerBuilder(groupId, Registry, Services));
        return this;
    }

    /// <summary>Sets the error handler of every consumer without its own (one instance per consumer).</summary>
    public KafkaPipelineBuilder UseErrorHandler(Func<IServiceProvider, ConsumerDescriptor, IConsumeErrorHandler> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Registry.ErrorHandler = factory;
        return this;
    }

    /// <summary>
    /// Configures deduplication (key header, selector, lease, retention). It does not turn deduplication on: a store does
    /// (<see cref="UseInMemoryDeduplication"/>, <see cref="UseDeduplicationStore{TStore}"/>, <c>UseRedisDeduplication</c>,
    /// <c>UsePostgreSqlDeduplication</c>).
    /// </summary>
    public KafkaPipelineBuilder ConfigureDeduplication(Action<DeduplicationOptions> configure)
    {
        Services.Configure(configure);
        return this;
    }

    /// <summary>
    /// Turns deduplication on with <typeparamref name="TStore"/>: every consumer's pipeline gets the deduplication step
    /// unless it says <c>WithoutDeduplication()</c>. Without a store there is no deduplication step (and no cost).
    /// </summary>
    public KafkaPipelineBuilder UseDeduplicationStore<TStore>()
        where TStore : class, IDeduplicationStore
    {
        Services.Replace(ServiceDescriptor.Singleton<IDeduplicationStore, TStore>());
        return this;
    }

    /// <summary>
    /// Turns deduplication on with the process-local store: messages identified by their <c>message-id</c> header (or
    /// <see cref="DeduplicationOptions.KeySelector"/>) are remembered in memory, bounded and expiring. It forgets
    /// everything at a restart; use Redis or PostgreSQL across processes.
    /// </summary>
    public KafkaPipelineBuilder UseInMemoryDeduplication(Action<DeduplicationOptions>? configure = null)
    {
        if (configure is not null)
        {
            Services.Configure(configure);
        }

        Services.Replace(ServiceDescriptor.Singleton<IDeduplicationStore>(sp => new InMemoryDeduplicationStore(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DeduplicationOptions>>(), sp.GetRequiredService<TimeProvider>())));
        return this;
    }

    /// <summary>Uses <paramref name="factory"/>'s deserializer for handlers of <typeparamref name="TMessage"/>.</summary>
    public KafkaPipelineBuilder AddDeserializer<TMessage>(Func<IServiceProvider, IMessageDeserializer> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        GetDeserializers().Add(typeof(TMessage), factory);
        return this;
    }

    private MessageDeserializerRegistry GetDeserializers() =>
        (MessageDeserializerRegistry)Services.First(d => d.ServiceType == typeof(MessageDeserializerRegistry)).ImplementationInstance!;

    private KafkaPipelineBuilder AddHandler(Type handlerType, string topic, string? groupId, Type? messageType, string? messageTypeName, string source)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return Add(new HandlerRegistration(handlerType, topic, groupId, messageType, messageTypeName, source));
    }

    /// <summary>Adds a registration; the same handler registered again (by any route) is not added twice.</summary>
    private KafkaPipelineBuilder Add(HandlerRegistration registration)
    {
        if (Registry.Handlers.Any(r => r == registration with { Source = r.Source }))
        {
            return this;
        }

        Registry.Handlers.Add(registration);
        Services.TryAddScoped(registration.HandlerType);
        return this;
    }
}
