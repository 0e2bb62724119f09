using KafkaPipeline.Deduplication;
using Polly;
using Xunit;

namespace KafkaPipeline.Tests;

public sealed class StoreCallBatcherTests
{
    [Fact]
    public async Task CallAsync_CallsWhileARoundTripIsUnderWay_GoTogetherInTheNext()
    {
        var batcher = new GatedBatcher(maxInFlight: 1);
        var first = batcher.CallAsync(1, default);
        await batcher.Started.WaitAsync(TimeSpan.FromSeconds(10)); // the first call went alone, at once

        var later = Enumerable.Range(2, 5).Select(i => batcher.CallAsync(i, default)).ToArray();
        batcher.Release();
        var results = await Task.WhenAll(later.Prepend(first)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([10, 20, 30, 40, 50, 60], results);
        Assert.Equal([[1], [2, 3, 4, 5, 6]], batcher.Batches);
    }

    [Fact]
    public async Task CallAsync_RoundTripFails_EveryCallInTheBatchFails()
    {
        var batcher = new GatedBatcher(maxInFlight: 1) { Failure = new IOException("connection reset") };
        var first = batcher.CallAsync(1, default);
        await batcher.Started.WaitAsync(TimeSpan.FromSeconds(10));
        var second = batcher.CallAsync(2, default);
        batcher.Release();

        Assert.Equal("connection reset", (await Assert.ThrowsAsync<IOException>(() => first)).Message);
        Assert.Equal("connection reset", (await Assert.ThrowsAsync<IOException>(() => second)).Message);
    }

    [Fact]
    public async Task CallAsync_CallerCancels_StopsWaitingWhileTheBatchGoesOn()
    {
        var batcher = new GatedBatcher(maxInFlight: 1);
        using var cancel = new CancellationTokenSource();
        var call = batcher.CallAsync(1, cancel.Token);
        await batcher.Started.WaitAsync(TimeSpan.FromSeconds(10));

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        batcher.Release();
        Assert.Equal(20, await batcher.CallAsync(2, default).WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task CallAsync_TransientFailure_ResiliencePipelineRetriesTheWholeBatch()
    {
        var retry = new ResiliencePipelineBuilder().AddRetry(new() { MaxRetryAttempts = 2, Delay = TimeSpan.Zero }).Build();
        var batcher = new GatedBatcher(maxInFlight: 1, retry) { FailuresLeft = 1, Failure = new IOException("timeout") };
        batcher.Release();

        Assert.Equal(70, await batcher.CallAsync(7, default).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([[7], [7]], batcher.Batches);
    }

    /// <summary>Multiplies by ten; each round trip waits for <see cref="Release"/> once it started.</summary>
    private sealed class GatedBatcher(int maxInFlight, ResiliencePipeline? resilience = null)
        : StoreCallBatcher<int, int>(maxBatch: 256, maxInFlight, resilience)
    {
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<int[]> Batches { get; } = [];

        public Task Started => _started.Task;

        public Exception? Failure { get; init; }

        public int FailuresLeft { get; set; } = int.MaxValue;

        public void Release() => _gate.TrySetResult();

        protected override async Task RunAsync(IReadOnlyList<int> calls, int[] results, CancellationToken cancellationToken)
        {
            lock (Batches)
            {
                Batches.Add([.. calls]);
            }

            _started.TrySetResult();
            await _gate.Task.ConfigureAwait(false);
            if (Failure is not null && FailuresLeft-- > 0)
            {
                throw Failure;
            }

            for (var i = 0; i < calls.Count; i++)
            {
                results[i] = calls[i] * 10;
            }
        }
    }
}
