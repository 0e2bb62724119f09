namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>
/// Spaces sends to at most <c>rate</c> per second on <see cref="TimeProvider"/> time. Slots follow a fixed schedule,
/// so timers that fire late (real ones have a granularity of about a millisecond) do not lower the rate: the schedule
/// catches up by sending without waiting. It catches up at most <see cref="CatchUp"/>, so after a pause (a slow
/// acknowledgement, a commit) at most a tenth of a second's worth of records goes out at once.
/// </summary>
internal sealed class RatePacer(double? ratePerSecond, TimeProvider time)
{
    /// <summary>Most lag behind the schedule that is made up by sending without waiting.</summary>
    public static readonly TimeSpan CatchUp = TimeSpan.FromMilliseconds(100);

    private readonly double _intervalTicks = ratePerSecond is { } rate ? TimeSpan.TicksPerSecond / rate : 0;
    private readonly long _origin = time.GetUtcNow().UtcTicks;
    private double? _nextTicks; // since _origin, so a double keeps sub-tick precision

    /// <summary>How long the next <see cref="WaitAsync"/> would wait; zero when a send may go now.</summary>
    public TimeSpan Delay
    {
        get
        {
            var now = Now();
            return _nextTicks is { } next && next > now ? TimeSpan.FromTicks((long)Math.Ceiling(next - now)) : TimeSpan.Zero;
        }
    }

    /// <summary>Waits for the next slot and takes it.</summary>
    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        if (_intervalTicks == 0)
        {
            return;
        }

        var delay = Delay;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }

        var now = Now();
        var slot = Math.Max(_nextTicks ?? now, now - CatchUp.Ticks);
        _nextTicks = slot + _intervalTicks;
    }

    private double Now() => time.GetUtcNow().UtcTicks - _origin;
}
