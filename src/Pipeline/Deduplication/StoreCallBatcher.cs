using Polly;

namespace KafkaPipeline.Deduplication;

/// <summary>
/// Gathers the calls that lanes make to a remote store at the same time and sends them in one round trip. The first
/// caller finds a free sender and goes at once (no added latency when idle); calls arriving while every sender is busy
/// queue up and go together in the next round trip. A call's result is reported only once its batch completed, so a
/// caller that goes on knows its write is as durable as when it went alone. A failing batch fails every call in it;
/// each round trip runs in the store's resilience pipeline (timeout, retry of the whole batch on transient errors,
/// circuit breaker), so a retried batch repeats calls that must be idempotent.
/// </summary>
/// <typeparam name="TCall">One call: what to send.</typeparam>
/// <typeparam name="TResult">What one call returns.</typeparam>
internal abstract class StoreCallBatcher<TCall, TResult>(int maxBatch, int maxInFlight, ResiliencePipeline? resilience)
{
    private readonly ResiliencePipeline _resilience = resilience ?? ResiliencePipeline.Empty;
    private readonly Lock _gate = new();
    private List<Pending> _queue = [];
    private int _senders;

    /// <summary>Sends <paramref name="call"/> in the next batch; completes with its result once the batch is done.</summary>
    public Task<TResult> CallAsync(TCall call, CancellationToken cancellationToken)
    {
        var pending = new Pending(call);
        if (cancellationToken.CanBeCanceled)
        {
            // The call still goes (or went) to the store; only its caller stops waiting.
            pending.Cancellation = cancellationToken.UnsafeRegister(
                static (state, token) => ((Pending)state!).Result.TrySetCanceled(token), pending);
        }

        bool start;
        lock (_gate)
        {
            _queue.Add(pending);
            start = _senders < maxInFlight;
            if (start)
            {
                _senders++;
            }
        }

        if (start)
        {
            _ = Task.Run(SendAsync, CancellationToken.None);
        }

        return pending.Result.Task;
    }

    /// <summary>
    /// Sends <paramref name="calls"/> in one round trip and fills <paramref name="results"/> (same indexes); stops waiting
    /// when <paramref name="cancellationToken"/> (the resilience pipeline's timeout) fires.
    /// </summary>
    protected abstract Task RunAsync(IReadOnlyList<TCall> calls, TResult[] results, CancellationToken cancellationToken);

    private async Task SendAsync()
    {
        while (true)
        {
            List<Pending> batch;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _senders--;
                    return;
                }

                if (_queue.Count <= maxBatch)
                {
                    batch = _queue;
                    _queue = [];
                }
                else
                {
                    batch = _queue.GetRange(0, maxBatch);
                    _queue.RemoveRange(0, maxBatch);
                }
            }

            await SendBatchAsync(batch).ConfigureAwait(false);
        }
    }

    private async Task SendBatchAsync(List<Pending> batch)
    {
        var calls = new TCall[batch.Count];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = batch[i].Call;
        }

        var results = new TResult[calls.Length];
        try
        {
            await _resilience.ExecuteAsync(
                static async (state, token) => await state.Item1.RunAsync(state.calls, state.results, token).ConfigureAwait(false),
                (this, calls, results),
                CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            foreach (var pending in batch)
            {
                pending.Cancellation.Dispose();
                pending.Result.TrySetException(ex);
            }

            return;
        }

        for (var i = 0; i < results.Length; i++)
        {
            batch[i].Cancellation.Dispose();
            batch[i].Result.TrySetResult(results[i]);
        }
    }

    private sealed class Pending(TCall call)
    {
        public TCall Call { get; } = call;

        // Continuations run inline on the sender once its batch is done: each waiting lane goes on to its next await
        // without a thread-pool hop (and a thread wake-up) per call.
        public TaskCompletionSource<TResult> Result { get; } = new();

        public CancellationTokenRegistration Cancellation { get; set; }
    }
}
