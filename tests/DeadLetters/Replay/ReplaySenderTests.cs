using Confluent.Kafka;
using KafkaPipeline.DeadLetters.Reading;
using KafkaPipeline.DeadLetters.Replay;
using KafkaPipeline.DeadLetters.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace KafkaPipeline.DeadLetters.Tests.Replay;

/// <summary>Pacing, acknowledgements and progress commits of a replay, on a fake transport and a fake clock.</summary>
public sealed class ReplaySenderTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly TopicPartition Target = new("orders", 0);
    private readonly FakeTimeProvider _time = new();
    private readonly List<string> _outcomes = [];

    [Fact]
    public async Task SendAsync_HighRateWithAcknowledgementsOutstanding_KeepsSendingAtTheRate()
    {
        var transport = new FakeReplayTransport();
        var sender = Sender(transport, new ReplayRequest("orders-dlt") { RatePerSecond = 1000, BatchSize = 100 });
        var start = _time.GetUtcNow();

        for (var offset = 0; offset < 50; offset++)
        {
            Assert.True(await SendPacedAsync(sender, offset, TimeSpan.FromMilliseconds(1)));
        }

        Assert.Equal(50, transport.SentCount);
        Assert.Empty(transport.Commits);
        Assert.InRange(_time.GetUtcNow() - start, TimeSpan.FromMilliseconds(49), TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public async Task SendAsync_BatchSizeInFlight_WaitsForTheOldestAcknowledgementOnly()
    {
        var transport = new FakeReplayTransport();
        var sender = Sender(transport, new ReplayRequest("orders-dlt") { BatchSize = 3 });
        Assert.True(await sender.SendAsync(Record(0), Target, CancellationToken.None));
        Assert.True(await sender.SendAsync(Record(1), Target, CancellationToken.None));

        var third = sender.SendAsync(Record(2), Target, CancellationToken.None).AsTask();

        Assert.False(third.IsCompleted);
        transport.Acknowledge(0);
        Assert.True(await third.WaitAsync(Deadline));
        Assert.Equal(3, transport.SentCount);
        Assert.Equal(["replayed 0"], _outcomes);
    }

    [Fact]
    public async Task SettleAsync_AcknowledgementsOutOfOrderAndOneFailure_CommitsOnlyBeforeTheFirstUnacknowledged()
    {
        var transport = new FakeReplayTransport();
        var sender = Sender(transport, new ReplayRequest("orders-dlt"));
        for (var offset = 0; offset < 5; offset++)
        {
            Assert.True(await sender.SendAsync(Record(offset), Target, CancellationToken.None));
        }

        transport.Acknowledge(4);
        transport.Acknowledge(2);
        transport.Acknowledge(0);
        transport.Fail(1);
        transport.Acknowledge(3);
        var settled = await sender.SettleAsync().AsTask().WaitAsync(Deadline);

        Assert.False(settled);
        Assert.Contains("run the same replay again", sender.Error, StringComparison.Ordinal);
        Assert.Equal(1L, transport.CommittedOffset(0));
        Assert.Equal(["failed 1", "replayed 0", "replayed 2", "replayed 3", "replayed 4"], _outcomes.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SendAsync_AcknowledgedForACommitInterval_CommitsWithoutWaitingForABatch()
    {
        var transport = new FakeReplayTransport { AutoAcknowledge = true };
        var sender = Sender(transport, new ReplayRequest("orders-dlt") { BatchSize = 1000 });
        for (var offset = 0; offset < 5; offset++)
        {
            Assert.True(await sender.SendAsync(Record(offset), Target, CancellationToken.None));
        }

        Assert.Empty(transport.Commits);
        _time.Advance(ReplaySender.CommitInterval);
        Assert.True(await sender.SendAsync(Record(5), Target, CancellationToken.None));

        Assert.Equal(6L, transport.CommittedOffset(0));
    }

    [Fact]
    public async Task SendAsync_LongWaitForTheNextSlot_SettlesAndCommitsFirst()
    {
        var transport = new FakeReplayTransport { AutoAcknowledge = true };
        var sender = Sender(transport, new ReplayRequest("orders-dlt") { RatePerSecond = 0.5 });
        Assert.True(await sender.SendAsync(Record(0), Target, CancellationToken.None));

        var second = sender.SendAsync(Record(1), Target, CancellationToken.None).AsTask();

        Assert.Equal(1L, transport.CommittedOffset(0));
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(await second.WaitAsync(Deadline));
        Assert.Equal(2, transport.SentCount);
    }

    private async Task<bool> SendPacedAsync(ReplaySender sender, long offset, TimeSpan interval)
    {
        var send = sender.SendAsync(Record(offset), Target, CancellationToken.None).AsTask();
        if (!send.IsCompleted)
        {
            _time.Advance(interval);
        }

        return await send.WaitAsync(Deadline);
    }

    private ReplaySender Sender(FakeReplayTransport transport, ReplayRequest request)
    {
        var sender = new ReplaySender(transport, request, _time, dryRun: false,
            (record, _) => _outcomes.Add($"replayed {record.Offset}"),
            (record, _, _) => _outcomes.Add($"failed {record.Offset}"));
        sender.Track(0, start: 0, committed: null);
        return sender;
    }

    private static DeadLetterRecord Record(long offset) => new() { Topic = "orders-dlt", Partition = 0, Offset = offset };
}
