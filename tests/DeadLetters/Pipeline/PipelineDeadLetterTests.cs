using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using KafkaPipeline.DeadLetters.Connection;
using KafkaPipeline.DeadLetters.Reading;
using KafkaPipeline.DeadLetters.Replay;
using KafkaPipeline.DeadLetters.Tests.Support;
using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.DeadLetters.Tests.Pipeline;

/// <summary>The whole loop with a real pipeline: failures land in the DLT, inspect shows them, replay sends them back after the fix.</summary>
public sealed class PipelineDeadLetterTests(OneBrokerCluster fixture) : IClassFixture<OneBrokerCluster>
{
    [Fact]
    public async Task Replay_AfterHandlerFixed_FailedRecordsAreProcessedAndDeadLetterGroupAdvances()
    {
        var topic = fixture.CreateTopicWithDeadLetters("pipe");
        var group = ClusterFixture.Unique("grp");
        var shop = new Shop();
        await using var host = await PipelineHost.StartAsync(fixture.Bootstrap, services: s => s.AddSingleton(shop), configure: p => p
            .AddHandler<ShopHandler>(topic, group)
            .UseDefaultErrorHandler(eh => eh.BackOff(new FixedBackOff(TimeSpan.FromMilliseconds(20), 1)).NotRetryable<RejectedOrderException>()));
        var produced = await ProduceOrdersAsync(topic, ("p0", 0, 1), ("p0", 0, -2), ("p1", 1, 3), ("p1", 1, -4), ("p2", 2, 5), ("p2", 2, -6));
        await Eventually.True(() => host.Status(group).RecordsCompleted >= 6, "all six orders completed (processed or dead-lettered)");

        var client = new DeadLetterClient(new KafkaConnectionSettings { BootstrapServers = fixture.Bootstrap });
        var dead = new List<DeadLetterRecord>();
        await foreach (var record in client.ReadAsync(topic + "-dlt"))
        {
            dead.Add(record);
        }

        Assert.Equal(3, dead.Count);
        foreach (var record in dead)
        {
            var info = Assert.IsType<ErrorHandling.Recovery.DeadLetterInfo>(record.DeadLetter);
            var original = produced[record.KeyText!];
            Assert.Equal((topic, original.Partition, original.Offset), (info.OriginalTopic, info.OriginalPartition!.Value, info.OriginalOffset!.Value));
            Assert.Equal(record.Partition, original.Partition);
            Assert.Equal(typeof(RejectedOrderException).FullName, info.ExceptionType);
            Assert.Equal(group, info.OriginalConsumerGroup);
            Assert.Contains("negative", info.ExceptionMessage, StringComparison.Ordinal);
        }

        Assert.Equal(3, shop.Processed.Count);
        shop.AcceptNegative = true;
        var plan = await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt"));
        var result = await client.ReplayAsync(plan);

        Assert.Equal((ReplayStatus.Completed, 3L), (result.Status, result.Replayed));
        await Eventually.True(() => shop.Processed.Count == 6, "the three replayed orders processed");
        Assert.Equal(["-2", "-4", "-6"], shop.Processed.Where(p => p.Replayed).Select(p => p.Amount).Order());
        Assert.All(shop.Processed.Where(p => p.Replayed), p => Assert.Equal(p.DeadLetterPartition, p.Partition));
        Assert.Equal([1L, 1L, 1L], KafkaIo.Committed(fixture.Bootstrap, "kafka-dlt-replay", topic + "-dlt", 3));
    }

    [Fact]
    public async Task Replay_HandlerStillFailing_RecordReturnsToDeadLetterTopicWithReplayCount()
    {
        var topic = fixture.CreateTopicWithDeadLetters("again");
        var group = ClusterFixture.Unique("grp");
        var shop = new Shop();
        await using var host = await PipelineHost.StartAsync(fixture.Bootstrap, services: s => s.AddSingleton(shop), configure: p => p
            .AddHandler<ShopHandler>(topic, group)
            .UseDefaultErrorHandler(eh => eh.NoRetries()));
        await ProduceOrdersAsync(topic, ("p0", 0, -1));
        await Eventually.True(() => host.Status(group).RecordsCompleted >= 1, "the order dead-lettered");
        var client = new DeadLetterClient(new KafkaConnectionSettings { BootstrapServers = fixture.Bootstrap });

        await client.ReplayAsync(await client.PlanReplayAsync(new ReplayRequest(topic + "-dlt")));
        await Eventually.True(() => host.Status(group).RecordsCompleted >= 2, "the replayed order dead-lettered again");

        var again = await client.GetRecordAsync(topic + "-dlt", 0, 1);
        Assert.Equal(1, again.ReplayCount);
        Assert.Equal(topic, again.DeadLetter?.OriginalTopic);
        Assert.Equal(1, again.Headers.Count(h => h.Name == ErrorHandling.Recovery.DeadLetterHeaders.ExceptionFqcn));
    }

    private async Task<Dictionary<string, (int Partition, long Offset)>> ProduceOrdersAsync(string topic, params (string Key, int Partition, int Amount)[] orders)
    {
        var sent = await KafkaIo.ProduceAsync(fixture.Bootstrap, topic, orders.Select(o => (o.Partition, KafkaIo.TextMessage(
            $"{o.Key}{o.Amount}",
            $"{{\"amount\":{o.Amount}}}",
            new Headers { { "message-id", Encoding.UTF8.GetBytes($"{topic}-{o.Key}-{o.Amount}") } }))));
        return sent.ToDictionary(r => KafkaIo.Text(r.Message.Key), r => (r.Partition.Value, r.Offset.Value));
    }

    public sealed record Order(int Amount);

    public sealed class RejectedOrderException(string message) : Exception(message);

    public sealed class Shop
    {
        public volatile bool AcceptNegative;

        public ConcurrentQueue<(string Amount, int Partition, int? DeadLetterPartition, bool Replayed)> Processed { get; } = new();
    }

    public sealed class ShopHandler(Shop shop) : IMessageHandler<Order>
    {
        public ValueTask HandleAsync(Order message, ConsumeContext context, CancellationToken cancellationToken)
        {
            if (message.Amount < 0 && !shop.AcceptNegative)
            {
                throw new RejectedOrderException($"Order amount {message.Amount} is negative.");
            }

            var replayed = ReplayHeaders.ReadCount(context.Headers) > 0;
            var source = ErrorHandling.Recovery.DeadLetterHeaders.DecodeInt32(ErrorHandling.Recovery.DeadLetterHeaders.Last(context.Headers, ReplayHeaders.SourcePartition));
            shop.Processed.Enqueue((message.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture), context.Partition, replayed ? source : context.Partition, replayed));
            return ValueTask.CompletedTask;
        }
    }
}
