using System.Text;
using Confluent.Kafka;
using KafkaPipeline.Consuming;
using KafkaPipeline.Errors;
using KafkaPipeline.Handlers;
using KafkaPipeline.Health;
using KafkaPipeline.Options;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaPipeline.Tests.Consuming;

/// <summary>
/// A <see cref="ConsumerEngine"/> on its own poll thread over a <see cref="ScriptedConsumer"/>, with a pipeline that
/// calls the test's handler directly. Records are <c>orders</c> records; <see cref="Record"/> builds one.
/// </summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    public const string Topic = "orders";
    public const string Group = "g";
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ServiceProvider _services;

    private EngineHarness(
        OrderingMode ordering,
        int maxConcurrency,
        Func<ConsumeContext, ValueTask> handler,
        KafkaConsumerOptions options,
        IConsumeErrorHandler? errorHandler,
        Action<IServiceCollection>? services,
        TopicPartition[] assignment,
        TimeProvider time)
    {
        var collection = new ServiceCollection();
        services?.Invoke(collection);
        _services = collection.BuildServiceProvider();
        var handlerDescriptor = new HandlerDescriptor(typeof(NoopHandler), typeof(byte[]), Topic, Group, "bytes", acceptsNull: true);
        var consumer = new ConsumerDescriptor(Group, [handlerDescriptor], options, "message-type", ordering, maxConcurrency);
        var execution = new RecordExecution(consumer, context => handler(context),
            errorHandler ?? new RetryingErrorHandler(NullLogger<RetryingErrorHandler>.Instance, TimeSpan.FromMilliseconds(20)),
            _services.GetRequiredService<IServiceScopeFactory>(), Status, Logger);
        var factory = new Factory(assignment);
        Engine = new ConsumerEngine(consumer, new KafkaPipelineOptions { BootstrapServers = "127.0.0.1:1" }, execution, factory, time, Status, Logger);
        _thread = new Thread(() =>
        {
            try
            {
                Engine.Run(_stop.Token);
                _done.SetResult();
            }
            catch (Exception ex)
            {
                _done.SetException(ex);
            }
        }) { IsBackground = true, Name = "test-poll-thread" };
        _thread.Start();
        Consumer = factory.Created.Task.GetAwaiter().GetResult();
    }

    public ConsumerEngine Engine { get; }

    public ScriptedConsumer Consumer { get; }

    public KafkaConsumerStatus Status { get; } = new(Group);

    public ListLogger Logger { get; } = new();

    /// <summary>Completes when the engine's Run returns (or faults with its exception).</summary>
    public Task Done => _done.Task;

    public static TopicPartition P(int partition) => new(Topic, partition);

    public static EngineHarness Start(
        OrderingMode ordering,
        int maxConcurrency,
        Func<ConsumeContext, ValueTask> handler,
        Action<KafkaConsumerOptions>? configure = null,
        IConsumeErrorHandler? errorHandler = null,
        Action<IServiceCollection>? services = null,
        TimeProvider? time = null,
        params int[] partitions)
    {
        var options = new KafkaConsumerOptions { CommitMode = CommitMode.PerRecord };
        configure?.Invoke(options);
        return new EngineHarness(ordering, maxConcurrency, handler, options, errorHandler, services,
            [.. (partitions.Length == 0 ? [0, 1] : partitions).Select(P)], time ?? TimeProvider.System);
    }

    public static ConsumeResult<byte[]?, byte[]?> Record(int partition, long offset, string? key = "k", int valueBytes = 10) => new()
    {
        Topic = Topic,
        Partition = partition,
        Offset = offset,
        Message = new Message<byte[]?, byte[]?>
        {
            Key = key is null ? null : Encoding.UTF8.GetBytes(key),
            Value = new byte[valueBytes],
            Headers = [],
            Timestamp = new Timestamp(DateTime.UnixEpoch.AddDays(1), TimestampType.CreateTime),
        },
    };

    /// <summary>Stops the engine (graceful shutdown) and waits for its Run to return.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _done.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_done.Task.IsCompleted)
        {
            await _stop.CancelAsync();
            await _done.Task.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await _services.DisposeAsync();
        _stop.Dispose();
    }

    private sealed class Factory(TopicPartition[] assignment) : IKafkaConsumerFactory
    {
        public TaskCompletionSource<ScriptedConsumer> Created { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IConsumer<byte[]?, byte[]?> Create(ConsumerConfig config, ConsumerCallbacks callbacks)
        {
            var consumer = new ScriptedConsumer(callbacks, assignment, autoCommit: config.EnableAutoCommit == true);
            Created.SetResult(consumer);
            return consumer;
        }
    }

    private sealed class NoopHandler : IMessageHandler<byte[]>
    {
        public ValueTask HandleAsync(byte[] message, ConsumeContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
