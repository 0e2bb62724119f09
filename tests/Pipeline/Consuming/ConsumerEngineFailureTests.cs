using Confluent.Kafka;
using KafkaPipeline.Errors;
using KafkaPipeline.Options;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static KafkaPipeline.Tests.Consuming.EngineHarness;

namespace KafkaPipeline.Tests.Consuming;

/// <summary>Failures on a lane: retries wait in memory, a stop holds only its lane, nothing faults the consumer by accident.</summary>
public sealed class ConsumerEngineFailureTests
{
    [Fact]
    public async Task Retry_KeyMode_FailingKeyWaitsInMemoryWhileOtherKeysOfThePartitionGoOn()
    {
        var failures = 0;
        var handler = new GatedHandler();
        handler.OpenAll();
        await using var engine = Start(OrderingMode.Key, 16, async context =>
        {
            if (context.Offset == 0 && Interlocked.Increment(ref failures) <= 3)
            {
                throw new TimeoutException("downstream busy");
            }

            await handler.HandleAsync(context);
        }, errorHandler: new RetryingErrorHandler(Microsoft.Extensions.Logging.Abstractions.NullLogger<RetryingErrorHandler>.Instance, TimeSpan.FromMilliseconds(200)),
        partitions: 0);
        engine.Consumer.Enqueue(Record(0, 0, "bad"), Record(0, 1, "good"), Record(0, 2, "bad"), Record(0, 3, "good"));

        await Eventually.True(() => handler.Finished.Count == 4, "all four handled");
        var finished = handler.Finished.Select(f => f.Offset).ToList();
        Assert.True(finished.IndexOf(3) < finished.IndexOf(0), "the other key was not held back by the failing key");
        Assert.True(finished.IndexOf(0) < finished.IndexOf(2), "the failing key kept its order");
        Assert.Equal(3, engine.Status.FailedDeliveries);
        await Eventually.True(() => engine.Consumer.CommittedOffset(P(0)) == 4, "committed to 4");
        Assert.DoesNotContain(engine.Consumer.Calls, c => c.StartsWith("seek", StringComparison.Ordinal) || c.StartsWith("pause", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stop_PartitionMode_PartitionPausedAndReportedOthersFlow()
    {
        var handler = new GatedHandler();
        handler.OpenAll();
        await using var engine = Start(OrderingMode.Partition, 16, handler.HandleAsync, errorHandler: new StopAt(0, 1));
        engine.Consumer.Enqueue(Record(0, 0), Record(0, 1), Record(0, 2), Record(1, 0), Record(1, 1));

        await Eventually.True(() => engine.Consumer.CommittedOffset(P(1)) == 2, "partition 1 committed to 2");
        await Eventually.True(() => engine.Status.StoppedPartitions.Count == 1, "partition 0 reported stopped");
        Assert.Equal(P(0), engine.Status.StoppedPartitions[0]);
        Assert.True(engine.Consumer.IsPaused(P(0)));
        Assert.Equal(1, engine.Consumer.CommittedOffset(P(0)));
        Assert.DoesNotContain((0, 2L), handler.Finished);
    }

    [Fact]
    public async Task Stop_PartitionRevokedAfterwards_StaysReportedUntilHandledPast()
    {
        var errorHandler = new StopAt(0, 1);
        var handler = new GatedHandler();
        handler.OpenAll();
        await using var engine = Start(OrderingMode.Partition, 16, handler.HandleAsync, errorHandler: errorHandler, partitions: 0);
        engine.Consumer.Enqueue(Record(0, 0), Record(0, 1), Record(0, 2));
        await Eventually.True(() => engine.Status.StoppedPartitions.Count == 1, "partition 0 stopped");

        engine.Consumer.RevokeOnNextPoll(P(0));
        engine.Consumer.AssignOnNextPoll(P(0));
        await Eventually.True(() => engine.Consumer.Calls.Count(c => c == "resume orders [[0]]") >= 2, "partition 0 assigned again");
        Assert.Equal([P(0)], engine.Status.StoppedPartitions); // a rebalance does not make it healthy silently

        errorHandler.Heal();
        engine.Consumer.Enqueue(Record(0, 1), Record(0, 2)); // the new assignment starts from the committed offset 1
        await Eventually.True(() => engine.Consumer.CommittedOffset(P(0)) == 3, "handled past the stop");
        await Eventually.True(() => engine.Status.StoppedPartitions.Count == 0, "no longer reported");
    }

    [Fact]
    public async Task Execute_ScopedServiceThrowsOnDispose_RecordCompletesAndTheConsumerGoesOn()
    {
        await using var engine = Start(OrderingMode.Partition, 16, context =>
        {
            context.Services.GetRequiredService<ThrowsOnDispose>();
            return ValueTask.CompletedTask;
        }, services: s => s.AddScoped<ThrowsOnDispose>(), partitions: 0);
        engine.Consumer.Enqueue(Record(0, 0), Record(0, 1));

        await Eventually.True(() => engine.Consumer.CommittedOffset(P(0)) == 2, "both committed");
        Assert.False(engine.Done.IsCompleted);
        Assert.Equal(2, engine.Logger.Entries.Count(e => e.EventId.Id == 1017));
    }

    [Fact]
    public async Task Run_FatalClientError_RunThrowsSoTheServiceFaults()
    {
        await using var engine = Start(OrderingMode.Partition, 16, _ => ValueTask.CompletedTask, partitions: 0);
        engine.Consumer.FailFatally(ErrorCode.Local_Fatal);

        var fault = await Assert.ThrowsAsync<KafkaException>(() => engine.Done.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(fault.Error.IsFatal);
        Assert.Contains("close", engine.Consumer.Calls);
    }

    /// <summary>Stops the lane at one record until healed; everything else completes.</summary>
    private sealed class StopAt(int partition, long offset) : IConsumeErrorHandler
    {
        private volatile bool _healed;

        public void Heal() => _healed = true;

        public async ValueTask<ErrorDisposition> HandleAsync(ConsumeContext context, ConsumeDelegate pipeline, RecordFailureState state)
        {
            if (!_healed && context.Partition == partition && context.Offset == offset)
            {
                return ErrorDisposition.Stop;
            }

            await pipeline(context);
            return ErrorDisposition.Completed;
        }
    }

    private sealed class ThrowsOnDispose : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => throw new InvalidOperationException("dispose failed");
    }
}
