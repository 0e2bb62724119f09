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
    public async Task MustWait_AfterASendWithinTheInterval_IsTrueUntilDue()
    {
        var time = new FakeTimeProvider();
        var pacer = new RatePacer(10, time);
        Assert.False(pacer.MustWait);

        await pacer.WaitAsync(CancellationToken.None);

        Assert.True(pacer.MustWait);
        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.False(pacer.MustWait);
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
