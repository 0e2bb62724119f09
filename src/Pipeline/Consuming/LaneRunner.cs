using KafkaPipeline.Diagnostics;
using KafkaPipeline.Errors;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Consuming;

/// <summary>
/// Runs lanes on the thread pool: the head record of a lane, delivery after delivery, until it is done, stopped or
/// abandoned; then the next record of the lane, or another lane the slot is handed to. A back-off waits in memory (the
/// lane is parked with its due time, no slot held, nothing sought or paused), and only the records behind it in its
/// lane wait with it.
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
                    { } retry => Park(lane, retry.Delay),
                };
            }
        }
        catch (Exception ex)
        {
            // A bug in the scheduler: the lane is lost for this assignment; its records stay uncommitted (redelivered).
            Log.LaneFailed(logger, groupId, ex);
        }
    }

    /// <summary>
    /// The lane's head waits for its back-off: the lane gives up its slot, and this runner goes on with the lane the slot
    /// was handed to (if any), without a thread-pool hop. The poll thread resumes the lane when it is due.
    /// </summary>
    private Lane? Park(Lane lane, TimeSpan delay) =>
        _scheduler.Wait(lane, time.GetTimestamp() + (long)(delay.TotalSeconds * time.TimestampFrequency));
}
