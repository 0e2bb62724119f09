using System.Collections.Concurrent;

namespace KafkaPipeline.Tests.Support;

/// <summary>Handled records seen by test handlers, shared through DI (see <see cref="PipelineHost"/>).</summary>
public sealed class Recorder
{
    private readonly ConcurrentQueue<Handled> _handled = new();

    public IReadOnlyList<Handled> Handled => [.. _handled];

    public int Count => _handled.Count;

    /// <summary>Optional behaviour run before a record is recorded (throw to fail it).</summary>
    public Func<ConsumeContext, ValueTask>? Behavior { get; set; }

    public async ValueTask RecordAsync(ConsumeContext context, string host, object? message)
    {
        if (Behavior is { } behavior)
        {
            await behavior(context);
        }

        _handled.Enqueue(new Handled(host, context.Topic, context.Partition, context.Offset, context.DeliveryAttempt, message));
    }
}

public sealed record Handled(string Host, string Topic, int Partition, long Offset, int Attempt, object? Message);

/// <summary>The JSON test message of <see cref="KafkaIo.ProduceOrdersAsync"/>.</summary>
public sealed record TestOrder(int Id, int Seq);

/// <summary>Which host a handler runs in (several hosts share one <see cref="Recorder"/>).</summary>
public sealed record HostName(string Value);

/// <summary>Records every <see cref="TestOrder"/> it is given (and runs the recorder's behaviour first).</summary>
public sealed class OrderHandler(Recorder recorder, HostName host) : IMessageHandler<TestOrder>
{
    public ValueTask HandleAsync(TestOrder message, ConsumeContext context, CancellationToken cancellationToken) =>
        recorder.RecordAsync(context, host.Value, message);
}
