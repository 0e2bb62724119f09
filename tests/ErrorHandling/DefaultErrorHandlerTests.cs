using Confluent.Kafka;
using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.ErrorHandling.Tests.Support;
using KafkaPipeline.Errors;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.ErrorHandling.Tests;

public sealed class DefaultErrorHandlerTests
{
    private readonly RecordingListener _listener = new();

    [Fact]
    public async Task HandleAsync_PipelineSucceeds_Completed()
    {
        var handler = Create(new RecordingRecoverer());

        var disposition = await handler.HandleAsync(Records.Context(), Pipelines.Succeeds);

        Assert.Equal(ErrorDisposition.Completed, disposition);
        Assert.Empty(_listener.Events);
    }

    [Fact]
    public async Task HandleAsync_RetryThenSucceed_RetryWithIntervalThenCompletedAndStateCleared()
    {
        var recoverer = new RecordingRecoverer();
        var handler = Create(recoverer, new FixedBackOff(TimeSpan.FromSeconds(2), 3));
        var pipeline = Pipelines.ThrowsInOrder(new TransientException(), new TransientException());

        var first = await handler.HandleAsync(Records.Context(offset: 7), pipeline);
        var second = await handler.HandleAsync(Records.Context(offset: 7, attempt: 2), pipeline);
        var third = await handler.HandleAsync(Records.Context(offset: 7, attempt: 3), pipeline);

        Assert.Equal(ErrorDisposition.Retry(TimeSpan.FromSeconds(2)), first);
        Assert.Equal(ErrorDisposition.Retry(TimeSpan.FromSeconds(2)), second);
        Assert.Equal(ErrorDisposition.Completed, third);
        Assert.Equal(0, recoverer.Calls);
        Assert.Equal(0, handler.PendingStates());
        Assert.Equal(["failed @7 #1 TransientException", "failed @7 #2 TransientException"], _listener.Events);
    }

    [Fact]
    public async Task HandleAsync_RetriesExhausted_RecovererThenRecovered()
    {
        var recoverer = new RecordingRecoverer();
        var handler = Create(recoverer, new FixedBackOff(TimeSpan.FromSeconds(1), 2));
        var failure = new TransientException();
        var dispositions = new List<ErrorDisposition>();

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            dispositions.Add(await handler.HandleAsync(Records.Context(offset: 3, attempt: attempt), Pipelines.Throws(failure)));
        }

        Assert.Equal([ErrorDisposition.Retry(TimeSpan.FromSeconds(1)), ErrorDisposition.Retry(TimeSpan.FromSeconds(1)), ErrorDisposition.Recovered], dispositions);
        var recovered = Assert.Single(recoverer.Recovered);
        Assert.Same(failure, recovered.Exception);
        Assert.Equal(3, recovered.Context.Offset);
        Assert.Equal("recovered @3 TransientException", _listener.Events[^1]);
        Assert.Equal(0, handler.PendingStates());
    }

    [Fact]
    public async Task HandleAsync_DefaultBackOff_TenDeliveriesBeforeRecovery()
    {
        var recoverer = new RecordingRecoverer();
        var handler = Create(recoverer, backOff: null);
        var dispositions = new List<ErrorDisposition>();

        for (var attempt = 1; attempt <= 10; attempt++)
        {
            dispositions.Add(await handler.HandleAsync(Records.Context(attempt: attempt), Pipelines.Throws(new TransientException())));
        }

        Assert.Equal(9, dispositions.Count(d => d == ErrorDisposition.Retry(TimeSpan.Zero)));
        Assert.Equal(ErrorDisposition.Recovered, dispositions[^1]);
        Assert.Single(recoverer.Recovered);
    }

    [Fact]
    public async Task HandleAsync_NotRetryable_RecoversOnFirstDeliveryWithoutPause()
    {
        var recoverer = new RecordingRecoverer();
        var handler = Create(recoverer, new FixedBackOff(TimeSpan.FromMinutes(10), 9));

        var disposition = await handler.HandleAsync(Records.Context(), Pipelines.Throws(new InvalidCastException()));

        Assert.Equal(ErrorDisposition.Recovered, disposition);
        Assert.Single(recoverer.Recovered);
        Assert.Equal(["failed @0 #1 InvalidCastException", "recovered @0 InvalidCastException"], _listener.Events);
    }

    [Fact]
    public async Task HandleAsync_NoRetriesBackOff_RecoversOnFirstFailure()
    {
        var recoverer = new RecordingRecoverer();
        var handler = Create(recoverer, FixedBackOff.NoRetries);

        Assert.Equal(ErrorDisposition.Recovered, await handler.HandleAsync(Records.Context(), Pipelines.Throws(new TransientException())));
        Assert.Single(recoverer.Recovered);
    }

    [Fact]
    public async Task HandleAsync_ExceptionBecomesNotRetryableOnSecondDelivery_RecoversThen()
    {
        var recoverer = new RecordingRecoverer();
        var handler = Create(recoverer, new FixedBackOff(TimeSpan.FromSeconds(5), 9));
        var pipeline = Pipelines.ThrowsInOrder(new TransientException(), new InvalidCastException());

        var first = await handler.HandleAsync(Records.Context(offset: 4), pipeline);
        var second = await handler.HandleAsync(Records.Context(offset: 4, attempt: 2), pipeline);

        Assert.Equal(ErrorDisposition.Retry(TimeSpan.FromSeconds(5)), first);
        Assert.Equal(ErrorDisposition.Recovered, second);
        Assert.IsType<InvalidCastException>(Assert.Single(recoverer.Recovered).Exception);
    }

    [Fact]
    public async Task HandleAsync_NotRetryableWithExceptionResetOff_StillRecoversAtOnce()
    {
        var recoverer = new RecordingRecoverer();
        var handler = Create(recoverer, new FixedBackOff(TimeSpan.FromSeconds(5), 9), o => o.ResetStateOnExceptionChange = false);
        var pipeline = Pipelines.ThrowsInOrder(new TransientException(), new InvalidCastException());

        await handler.HandleAsync(Records.Context(), pipeline);

        Assert.Equal(ErrorDisposition.Recovered, await handler.HandleAsync(Records.Context(attempt: 2), pipeline));
    }

    [Fact]
    public async Task HandleAsync_ExceptionTypeChanges_BackOffStartsAgain()
    {
        var handler = Create(new RecordingRecoverer(), new FixedBackOff(TimeSpan.FromSeconds(1), 1));
        var pipeline = Pipelines.ThrowsInOrder(new TransientException(), new TimeoutException(), new TimeoutException());

        var first = await handler.HandleAsync(Records.Context(), pipeline);
        var second = await handler.HandleAsync(Records.Context(attempt: 2), pipeline);
        var third = await handler.HandleAsync(Records.Context(attempt: 3), pipeline);

        Assert.Equal(DispositionKind.Retry, first.Kind);
        Assert.Equal(DispositionKind.Retry, second.Kind);
        Assert.Equal(DispositionKind.Recovered, third.Kind);
    }

    [Fact]
    public async Task HandleAsync_RecordTokenCancelled_PropagatesWithoutCountingFailure()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        var recoverer = new RecordingRecoverer();
        var handler = Create(recoverer, new FixedBackOff(TimeSpan.FromSeconds(1), 1));

        var state = new RecordFailureState();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await handler.HandleAsync(Records.Context(cancellationToken: cts.Token), ctx => throw new OperationCanceledException(ctx.CancellationToken), state));

        Assert.Equal(0, state.Failures);
        Assert.Null(state.BackOff);
        Assert.Empty(_listener.Events);
        Assert.Equal(0, recoverer.Calls);
    }

    [Fact]
    public async Task HandleAsync_CancellationNotFromRecordToken_IsAnOrdinaryFailure()
    {
        var handler = Create(new RecordingRecoverer(), new FixedBackOff(TimeSpan.FromSeconds(1), 1));

        var disposition = await handler.HandleAsync(Records.Context(), Pipelines.Throws(new TaskCanceledException("http timeout")));

        Assert.Equal(ErrorDisposition.Retry(TimeSpan.FromSeconds(1)), disposition);
    }

    [Fact]
    public async Task HandleAsync_PartitionsKeepSeparateState()
    {
        var handler = Create(new RecordingRecoverer(), new FixedBackOff(TimeSpan.FromSeconds(1), 1));

        await handler.HandleAsync(Records.Context(partition: 0), Pipelines.Throws(new TransientException()));
        var other = await handler.HandleAsync(Records.Context(partition: 1), Pipelines.Throws(new TransientException()));
        var exhausted = await handler.HandleAsync(Records.Context(partition: 0, attempt: 2), Pipelines.Throws(new TransientException()));

        Assert.Equal(DispositionKind.Retry, other.Kind);
        Assert.Equal(DispositionKind.Recovered, exhausted.Kind);
    }

    [Fact]
    public async Task HandleAsync_BackOffFunction_OverridesDefaultPerRecord()
    {
        var handler = Create(new RecordingRecoverer(), new FixedBackOff(TimeSpan.FromSeconds(1), 5), o =>
            o.BackOffFunction = (ctx, ex) => ctx.Topic == "payments" ? new FixedBackOff(TimeSpan.FromSeconds(30), 1) : null);

        var payments = await handler.HandleAsync(Records.Context(topic: "payments"), Pipelines.Throws(new TransientException()));
        var orders = await handler.HandleAsync(Records.Context(topic: "orders"), Pipelines.Throws(new TransientException()));

        Assert.Equal(ErrorDisposition.Retry(TimeSpan.FromSeconds(30)), payments);
        Assert.Equal(ErrorDisposition.Retry(TimeSpan.FromSeconds(1)), orders);
    }

    [Fact]
    public async Task HandleAsync_ListenerThrows_DispositionUnaffected()
    {
        var throwing = new ThrowingListener();
        var handler = Create(new RecordingRecoverer(), new FixedBackOff(TimeSpan.FromSeconds(1), 1), o => o.RetryListeners.Insert(0, throwing));

        var disposition = await handler.HandleAsync(Records.Context(), Pipelines.Throws(new TransientException()));

        Assert.Equal(ErrorDisposition.Retry(TimeSpan.FromSeconds(1)), disposition);
        Assert.Equal(["failed @0 #1 TransientException"], _listener.Events);
    }

    [Fact]
    public void Constructor_WithoutRecoverer_ThrowsNamingOptionAndFix()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => new DefaultErrorHandler(new DefaultErrorHandlerOptions()));

        Assert.Contains("Recoverer", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Fix", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_DeduplicationLeaseHeld_WaitsWithGrowingBackOffAndNeverRecovers()
    {
        var recoverer = new RecordingRecoverer();
        var handler = Create(recoverer, backOff: null);
        var dispositions = new List<ErrorDisposition>();

        for (var attempt = 1; attempt <= 12; attempt++)
        {
            dispositions.Add(await handler.HandleAsync(
                Records.Context(attempt: attempt), Pipelines.Throws(new Deduplication.DeduplicationInProgressException("g|m-1"))));
        }

        Assert.Empty(recoverer.Recovered);
        Assert.Equal([1, 2, 4, 8, 16, 30, 30], dispositions.Take(7).Select(d => (int)d.Delay.TotalSeconds));
        Assert.All(dispositions, d => Assert.Equal(DispositionKind.Retry, d.Kind));
    }

    [Fact]
    public async Task HandleAsync_DeduplicationStoreDownInCauseChain_UsesDeduplicationBackOff()
    {
        var handler = Create(new RecordingRecoverer(), new FixedBackOff(TimeSpan.FromSeconds(5), 1),
            o => o.DeduplicationBackOff = new FixedBackOff(TimeSpan.FromSeconds(7), 100));
        var storeDown = new Deduplication.DeduplicationStoreException("redis", "g|m-1", "reserve", new TimeoutException());

        var disposition = await handler.HandleAsync(Records.Context(), Pipelines.Throws(new InvalidOperationException("wrapped", storeDown)));

        Assert.Equal(ErrorDisposition.Retry(TimeSpan.FromSeconds(7)), disposition);
    }

    [Fact]
    public async Task HandleAsync_StoreDownWithRetryNothingByDefault_WaitsAndNeverRecovers()
    {
        var recoverer = new RecordingRecoverer();
        var handler = Create(recoverer, FixedBackOff.NoRetries, o =>
        {
            o.Classifier.RetryNothingByDefault();
            o.DeduplicationBackOff = new FixedBackOff(TimeSpan.FromSeconds(2), 2);
        });
        var storeDown = new Deduplication.DeduplicationStoreException("redis", "g|m-1", "reserve", new TimeoutException());
        var dispositions = new List<ErrorDisposition>();

        for (var attempt = 1; attempt <= 6; attempt++)
        {
            dispositions.Add(await handler.HandleAsync(Records.Context(attempt: attempt), Pipelines.Throws(storeDown)));
        }

        // A bounded infrastructure back-off starts over instead of handing a healthy record to the recoverer.
        Assert.All(dispositions, d => Assert.Equal(ErrorDisposition.Retry(TimeSpan.FromSeconds(2)), d));
        Assert.Equal(0, recoverer.Calls);
    }

    [Fact]
    public async Task HandleAsync_BackOffFunctionReturnsNoRetries_StoreOutageStillWaits()
    {
        var recoverer = new RecordingRecoverer();
        var handler = Create(recoverer, new FixedBackOff(TimeSpan.FromSeconds(1), 1), o =>
            o.BackOffFunction = (_, _) => FixedBackOff.NoRetries);

        var disposition = await handler.HandleAsync(Records.Context(), Pipelines.Throws(new Deduplication.DeduplicationInProgressException("g|m-1")));

        Assert.Equal(DispositionKind.Retry, disposition.Kind);
        Assert.Equal(0, recoverer.Calls);
    }

    [Fact]
    public async Task HandleAsync_RecovererRefusesForGood_StopsAtOnceWithoutWaitingForMaxRecoveryFailures()
    {
        var refused = new KafkaPipeline.ErrorHandling.Recovery.RecoveryRefusedException("Message size too large");
        var recoverer = new RecordingRecoverer(refused);
        var handler = Create(recoverer, FixedBackOff.NoRetries);

        var disposition = await handler.HandleAsync(Records.Context(), Pipelines.Throws(new PoisonException()));

        Assert.Equal(ErrorDisposition.Stop, disposition);
        Assert.Equal("recovery failed @0 Message size too large", _listener.Events[^1]);
    }

    private DefaultErrorHandler Create(RecordingRecoverer recoverer, IBackOff? backOff = null, Action<DefaultErrorHandlerOptions>? configure = null) =>
        ErrorHandlers.Create(recoverer, _listener, backOff, configure);

    private sealed class ThrowingListener : IRetryListener
    {
        public void FailedDelivery(ConsumeContext context, Exception exception, int attempt) => throw new InvalidOperationException("listener bug");
    }
}
