using Confluent.Kafka;
using KafkaPipeline.Building;
using KafkaPipeline.Checklist;
using KafkaPipeline.DependencyInjection;
using KafkaPipeline.Errors;
using KafkaPipeline.Handlers;
using KafkaPipeline.Health;
using KafkaPipeline.Options;
using KafkaPipeline.Serialization;
using KafkaPipeline.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.Consuming;

/// <summary>
/// Builds every consumer once at start (handlers, deserializers, pipeline, error handler) and runs one
/// <see cref="KafkaConsumerService"/> per consumer. A consumer that fails stops the application.
/// </summary>
internal sealed class KafkaConsumersHostedService(
    IServiceProvider services,
    IOptions<KafkaPipelineOptions> options,
    KafkaPipelineRegistry registry,
    KafkaConsumerMonitor monitor,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers) : IHostedService
{
    private readonly List<KafkaConsumerService> _running = [];
    private readonly HashSet<(string Topic, string Role)> _checklist = [];

    public IReadOnlyList<ConsumerDescriptor> Consumers { get; private set; } = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var errors = new List<string>();
        var deserializers = services.GetRequiredService<MessageDeserializerRegistry>();
        foreach (var expand in registry.BeforeBuild)
        {
            expand(services, settings, errors);
        }

        Consumers = HandlerCatalog.Build(settings, registry.Handlers, deserializers.Contains, errors);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(KafkaPipelineOptions.SectionName, typeof(KafkaPipelineOptions), errors);
        }

        var json = services.GetRequiredService<IOptions<JsonSerializerSettings>>().Value.Options;
        foreach (var consumer in Consumers.Where(c => c.Options.Enabled))
        {
            foreach (var handler in consumer.Handlers)
            {
                handler.Deserializer = DeserializerSelector.Select(handler.MessageType, services, json);
            }

            WarnIfShutdownOutlastsHost(consumer);
            _running.Add(Create(consumer, settings));
        }

        OpenAll();
        foreach (var service in _running)
        {
            await service.StartAsync(cancellationToken).ConfigureAwait(false);
            _ = service.ExecuteTask!.ContinueWith(_ => Fail(), CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        if (settings.Health.NoLossChecklist)
        {
            var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
            _ = Task.Run(() => NoLossChecklist.RunAsync(settings, [.. _checklist], loggers.CreateLogger("KafkaPipeline.Checklist"), time), CancellationToken.None);
        }
    }

    /// <summary>
    /// Creates every consumer's client before any runs, so that settings librdkafka refuses fail the host's start (with
    /// the group and the fix) rather than a consumer after the host reported it started.
    /// </summary>
    private void OpenAll()
    {
        foreach (var service in _running)
        {
            try
            {
                service.Open();
            }
            catch (Exception ex) when (ex is KafkaException or ArgumentException or InvalidOperationException)
            {
                _running.ForEach(s => s.Abandon());
                _running.Clear();
                var prefix = registry.Configuration is Microsoft.Extensions.Configuration.IConfigurationSection { Path.Length: > 0 } section
                    ? section.Path
                    : KafkaPipelineOptions.SectionName;
                throw new OptionsValidationException(service.GroupId, typeof(KafkaConsumerOptions), [
                    $"{prefix}:Consumers:{service.GroupId}: librdkafka refused to create the consumer: {ex.Message} Fix: correct the setting it "
                    + $"names in {prefix}:Client or {prefix}:Consumers:{service.GroupId}:Client (see librdkafka's CONFIGURATION.md).",
                ]);
            }
        }
    }

    /// <summary>
    /// The consumer must finish its records, commit and leave the group before the host stops waiting for it and disposes
    /// the services under a record in flight.
    /// </summary>
    private void WarnIfShutdownOutlastsHost(ConsumerDescriptor consumer)
    {
        var host = HostShutdownTimeout(services);
        if (consumer.Options.ShutdownTimeout + CloseAllowance >= host)
        {
            Diagnostics.Log.ShutdownOutlastsHost(loggers.CreateLogger($"KafkaPipeline.Consumer.{consumer.GroupId}"), consumer.GroupId,
                consumer.Options.ShutdownTimeout, host, CloseAllowance);
        }
    }

    /// <summary>
    /// <c>HostOptions.ShutdownTimeout</c> (30 s unless configured). HostOptions lives in Microsoft.Extensions.Hosting, which
    /// this library does not reference (it needs only the abstractions), so it is read by name when the host has it.
    /// </summary>
    private static TimeSpan HostShutdownTimeout(IServiceProvider services)
    {
        var hostOptions = Type.GetType("Microsoft.Extensions.Hosting.HostOptions, Microsoft.Extensions.Hosting", throwOnError: false);
        var options = hostOptions is null ? null : services.GetService(typeof(IOptions<>).MakeGenericType(hostOptions));
        var value = options?.GetType().GetProperty(nameof(IOptions<object>.Value))?.GetValue(options);
        return value?.GetType().GetProperty("ShutdownTimeout")?.GetValue(value) as TimeSpan? ?? TimeSpan.FromSeconds(30);
    }

    /// <summary>Time left after the records' shutdown timeout for the final commit and leaving the group.</summary>
    private static readonly TimeSpan CloseAllowance = TimeSpan.FromSeconds(5);

    /// <summary>A consumer that faulted stops the application with a non-zero exit code, so a supervisor restarts it.</summary>
    private void Fail()
    {
        if (Environment.ExitCode == 0)
        {
            Environment.ExitCode = FaultedExitCode;
        }

        lifetime.StopApplication();
    }

    /// <summary>The process exit code after a consumer faulted (unless the application set another).</summary>
    internal const int FaultedExitCode = 70;

    public Task StopAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_running.Select(s => s.StopAsync(cancellationToken)));

    /// <summary>The consumer's topics and its error handler's dead-letter topics, for the no-loss checklist.</summary>
    private void AddToChecklist(ConsumerDescriptor consumer, IConsumeErrorHandler errorHandler)
    {
        _checklist.UnionWith(consumer.Topics.Select(t => (t, NoLossChecklist.ConsumedRole)));
        if (errorHandler is IDeadLetterTopics deadLetters)
        {
            _checklist.UnionWith(deadLetters.DeadLetterTopics(consumer).Select(t => (t, NoLossChecklist.DeadLetterRole)));
        }
    }

    private KafkaConsumerService Create(ConsumerDescriptor consumer, KafkaPipelineOptions settings)
    {
        var build = new PipelineBuildContext(services, consumer);
        var pipeline = registry.PipelineFor(consumer.GroupId).Build(build);
        var errorHandler = registry.ErrorHandlerFor(consumer.GroupId)?.Invoke(services, consumer)
            ?? new RetryingErrorHandler(loggers.CreateLogger<RetryingErrorHandler>());
        AddToChecklist(consumer, errorHandler);
        var status = monitor.Register(consumer.GroupId);
        var logger = loggers.CreateLogger($"KafkaPipeline.Consumer.{consumer.GroupId}");
        var execution = new RecordExecution(consumer, pipeline, errorHandler, services.GetRequiredService<IServiceScopeFactory>(), status, logger,
            services.GetService<PipelineMetrics>());
        var loop = new ConsumerEngine(consumer, settings, execution, services.GetService<IKafkaConsumerFactory>() ?? ConfluentConsumerFactory.Instance,
            services.GetService<TimeProvider>() ?? TimeProvider.System, status, logger);
        return new KafkaConsumerService(loop, status, logger);
    }
}
