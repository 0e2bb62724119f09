using KafkaPipeline.DeadLetters.Replay;
using Microsoft.Extensions.Time.Testing;

namespace KafkaPipeline.DeadLetters.Tests.Replay;

public sealed class RatePacerTests
{
    [Fact]
    public async Task WaitAsync_TwoPerSecond_SecondSendWaitsHalfASecond()
    {
        var time = new FakeTimeProvider();
        var pacer = new RatePacer(2, time);

        await pacer.WaitAsync(CancellationToken.None);
        var second = pacer.WaitAsync(CancellationToken.None).AsTask();

        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Delay_AfterASendWithinTheInterval_IsTheTimeLeftUntilDue()
    {
        var time = new FakeTimeProvider();
        var pacer = new RatePacer(10, time);
        Assert.Equal(TimeSpan.Zero, pacer.Delay);

        await pacer.WaitAsync(CancellationToken.None);

        Assert.Equal(TimeSpan.FromMilliseconds(100), pacer.Delay);
        time.Advance(TimeSpan.FromMilliseconds(60));
        Assert.Equal(TimeSpan.FromMilliseconds(40), pacer.Delay);
        time.Advance(TimeSpan.FromMilliseconds(40));
        Assert.Equal(TimeSpan.Zero, pacer.Delay);
    }

    [Fact]
    public async Task WaitAsync_ThousandPerSecondWithLateTimers_SendsAThousandInOneSecond()
    {
        var time = new FakeTimeProvider();
        var start = time.GetUtcNow();
        var pacer = new RatePacer(1000, time);
        var sent = 0;

        while (time.GetUtcNow() - start < TimeSpan.FromSeconds(1))
        {
            var wait = pacer.WaitAsync(CancellationToken.None).AsTask();
            if (!wait.IsCompleted)
            {
                time.Advance(pacer.Delay + TimeSpan.FromMilliseconds(1.5)); // the timer fires late, by more than an interval, as real 1 ms timers do
            }

            await wait.WaitAsync(TimeSpan.FromSeconds(5));
            sent++;
        }

        Assert.InRange(sent, 990, 1002);
    }

    [Fact]
    public async Task WaitAsync_AfterALongPause_BurstsAtMostATenthOfASecondsWorth()
    {
        var time = new FakeTimeProvider();
        var pacer = new RatePacer(100, time);
        await pacer.WaitAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(10));

        var immediate = 0;
        while (pacer.Delay == TimeSpan.Zero)
        {
            await pacer.WaitAsync(CancellationToken.None);
            immediate++;
        }

        Assert.InRange(immediate, 1, 11);
    }

    [Fact]
    public async Task WaitAsync_NoRate_NeverWaits()
    {
        var pacer = new RatePacer(null, new FakeTimeProvider());

        for (var i = 0; i < 100; i++)
        {
            Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompleted);
        }

        await pacer.WaitAsync(CancellationToken.None);
    }

    [Fact]
    public async Task WaitAsync_Cancelled_ThrowsOperationCanceled()
    {
        var pacer = new RatePacer(1, new FakeTimeProvider());
        await pacer.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = pacer.WaitAsync(cancel.Token).AsTask();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
