using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.ErrorHandling.Tests.Support;
using KafkaPipeline.Errors;

namespace KafkaPipeline.ErrorHandling.Tests;

/// <summary>DefaultErrorHandler when the recoverer itself fails: never a commit, retry following the back-off, or stop.</summary>
public sealed class DefaultErrorHandlerRecoveryFailureTests
{
    private readonly RecordingListener _listener = new();

    [Fact]
    public async Task HandleAsync_RecovererThrows_RetryNeverCommits()
    {
        var recoverer = new RecordingRecoverer(new InvalidOperationException("dlt down"));
        var handler = Create(recoverer, FixedBackOff.NoRetries);

        var disposition = await handler.HandleAsync(Records.Context(offset: 9), Pipelines.Throws(new TransientException()));

        Assert.Equal(DispositionKind.Retry, disposition.Kind);
        Assert.False(disposition.CommitsOffset);
        Assert.Equal(TimeSpan.FromSeconds(1), disposition.Delay);
        Assert.Equal("recovery failed @9 dlt down", _listener.Events[^1]);
    }

    [Fact]
    public async Task HandleAsync_RecoveryFailsWithReset_RetriesWholeBackOffBeforeNextRecovery()
    {
        var recoverer = new RecordingRecoverer(new InvalidOperationException("dlt down"));
        var handler = Create(recoverer, new FixedBackOff(TimeSpan.FromSeconds(3), 1));
        var dispositions = new List<ErrorDisposition>();

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            dispositions.Add(await handler.HandleAsync(Records.Context(attempt: attempt), Pipelines.Throws(new TransientException())));
        }

        Assert.Equal(
            [
                ErrorDisposition.Retry(TimeSpan.FromSeconds(3)), // retry 1
                ErrorDisposition.Retry(TimeSpan.FromSeconds(3)), // exhausted, recovery failed: wait the back-off's first interval
                ErrorDisposition.Retry(TimeSpan.FromSeconds(3)), // new cycle: retry 1
                ErrorDisposition.Recovered,
            ],
            dispositions);
        Assert.Equal(2, recoverer.Calls);
    }

    [Fact]
    public async Task HandleAsync_RecoveryFailsWithoutReset_NextDeliveryRecoversAgainAfterMinimumDelay()
    {
        var recoverer = new RecordingRecoverer(new InvalidOperationException("dlt down"));
        var handler = Create(recoverer, new FixedBackOff(TimeSpan.FromSeconds(3), 1), o =>
        {
            o.ResetStateOnRecoveryFailure = false;
            o.RecoveryFailureDelay = TimeSpan.FromMilliseconds(500);
        });

        await handler.HandleAsync(Records.Context(), Pipelines.Throws(new TransientException()));
        var failed = await handler.HandleAsync(Records.Context(attempt: 2), Pipelines.Throws(new TransientException()));
        var recovered = await handler.HandleAsync(Records.Context(attempt: 3), Pipelines.Throws(new TransientException()));

        Assert.Equal(ErrorDisposition.Retry(TimeSpan.FromMilliseconds(500)), failed);
        Assert.Equal(ErrorDisposition.Recovered, recovered);
    }

    [Fact]
    public async Task HandleAsync_MaxRecoveryFailuresReached_Stop()
    {
        var failure = new InvalidOperationException("dlt down");
        var recoverer = new RecordingRecoverer(failure, failure, failure);
        var handler = Create(recoverer, FixedBackOff.NoRetries, o => o.MaxRecoveryFailures = 2);

        var first = await handler.HandleAsync(Records.Context(), Pipelines.Throws(new TransientException()));
        var second = await handler.HandleAsync(Records.Context(attempt: 2), Pipelines.Throws(new TransientException()));

        Assert.Equal(DispositionKind.Retry, first.Kind);
        Assert.Equal(ErrorDisposition.Stop, second);
        Assert.False(second.CommitsOffset);
        Assert.Equal(0, handler.PendingStates());
    }

    [Fact]
    public async Task HandleAsync_SuccessBetweenRecoveryFailures_ResetsRecoveryFailureCount()
    {
        var failure = new InvalidOperationException("dlt down");
        var handler = Create(new RecordingRecoverer(failure, failure), FixedBackOff.NoRetries, o => o.MaxRecoveryFailures = 2);

        await handler.HandleAsync(Records.Context(offset: 1), Pipelines.Throws(new TransientException()));
        await handler.HandleAsync(Records.Context(offset: 1, attempt: 2), Pipelines.Succeeds);
        var next = await handler.HandleAsync(Records.Context(offset: 2), Pipelines.Throws(new TransientException()));

        Assert.Equal(DispositionKind.Retry, next.Kind);
    }

    private DefaultErrorHandler Create(RecordingRecoverer recoverer, IBackOff? backOff = null, Action<DefaultErrorHandlerOptions>? configure = null) =>
        ErrorHandlers.Create(recoverer, _listener, backOff, configure);
}
