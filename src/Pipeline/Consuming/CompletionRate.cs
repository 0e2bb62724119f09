namespace KafkaPipeline.Consuming;

/// <summary>
/// How fast the lanes finish records, measured over windows of <see cref="Window"/> and smoothed: the poll thread uses it to
/// tell records that will be done within moments (no need to read further ahead) from a backlog that slow lanes will take
/// long to work through (reading further may find records for idle slots). Poll thread only.
/// </summary>
internal sealed class CompletionRate(TimeProvider time)
{
    /// <summary>The measuring window; shorter windows follow a change of pace sooner but count fewer records.</summary>
    internal static readonly TimeSpan Window = TimeSpan.FromMilliseconds(50);

    private long _windowStart = time.GetTimestamp();
    private long _done;
    private double _perSecond;

    /// <summary>Records finished per second (smoothed); 0 until a first window is measured.</summary>
    public double PerSecond => _perSecond;

    /// <summary>Counts finished records; closes the window when it is over.</summary>
    public void Count(int finished)
    {
        _done += finished;
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(_windowStart, now);
        if (elapsed < Window)
        {
            return;
        }

        var rate = _done / elapsed.TotalSeconds;
        _perSecond = _perSecond == 0 ? rate : (_perSecond + rate) / 2;
        _done = 0;
        _windowStart = now;
    }

    /// <summary>True when <paramref name="records"/> will be done within <paramref name="within"/> at the measured pace.</summary>
    public bool DrainsWithin(int records, TimeSpan within) => _perSecond > 0 && records < _perSecond * within.TotalSeconds;
}
