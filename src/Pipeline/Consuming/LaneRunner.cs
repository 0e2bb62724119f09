using KafkaPipeline.Diagnostics;
using KafkaPipeline.Errors;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Consuming;

/// <summary>
/// Runs lanes on the thread pool: the head record of a lane, delivery after delivery, until it is done, stopped or
/// abandoned; then the next record of the lane, or another lane the slot is handed to. A back-off waits in memory (a
/// timer, no slot held, nothing sought or paused), and only the records behind it in its lane wait with it.
/// </summary>
internal sealed class LaneRunner(RecordExecution execution, TimeProvider time, string groupId, ILogger logger)
{
    private LaneScheduler _scheduler = null!;

    public LaneScheduler Scheduler
    {
        set => _scheduler = value;
    }

    /// <summary>Starts a runner for a lane that holds a slot (never on the caller's thread).</summary>
    public void Start(Lane lane)
    {
        lane.Runner = this;
        ThreadPool.UnsafeQueueUserWorkItem(lane, preferLocal: false);
    }

    /// <summary>Called by the thread pool for a lane queued by <see cref="Start"/>.</summary>
    public void Run(Lane lane) => _ = RunAsync(lane);

    private async Task RunAsync(Lane? lane)
    {
        try
        {
            while (lane is not null)
            {
                var disposition = await execution.ExecuteAsync(lane.Head!, lane.Failure, lane.Partition.RecordToken).ConfigureAwait(false);
                lane = disposition switch
                {
                    null => _scheduler.Abandon(lane),
                    { Kind: DispositionKind.Completed or DispositionKind.Recovered } => _scheduler.Finish(lane),
                    { Kind: DispositionKind.Stop } => _scheduler.Stop(lane),
                    { Delay.Ticks: 0 } => _scheduler.RetryNow(lane) ? lane : null,
                    { } retry => await WaitAsync(lane, retry.Delay).ConfigureAwait(false),
                };
            }
        }
        catch (Exception ex)
        {
            // A bug in the scheduler: the lane is lost for this assignment; its records stay uncommitted (redelivered).
            Log.LaneFailed(logger, groupId, ex);
        }
    }

    private async Task<Lane?> WaitAsync(Lane lane, TimeSpan delay)
    {
        if (_scheduler.Wait(lane) is { } other)
        {
            Start(other);
        }

        try
        {
            await Task.Delay(delay, time, lane.Partition.WaitsToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The partition is leaving: Resume drops the lane.
        }

        return _scheduler.Resume(lane) ? lane : null;
    }
}
