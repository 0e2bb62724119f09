namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>Spaces sends to at most <c>rate</c> per second on <see cref="TimeProvider"/> time (no bursts after a pause).</summary>
internal sealed class RatePacer(double? ratePerSecond, TimeProvider time)
{
    private readonly TimeSpan _interval = ratePerSecond is { } rate ? TimeSpan.FromSeconds(1 / rate) : TimeSpan.Zero;
    private DateTimeOffset? _next;

    /// <summary>True when the next <see cref="WaitAsync"/> would wait (time to settle what is in flight).</summary>
    public bool MustWait => _next is { } next && next > time.GetUtcNow();

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        if (_interval == TimeSpan.Zero)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (_next is { } next && next > now)
        {
            await Task.Delay(next - now, time, cancellationToken).ConfigureAwait(false);
            now = next;
        }

        _next = now + _interval;
    }
}
