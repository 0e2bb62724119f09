using System.Collections.Concurrent;

namespace KafkaPipeline.Tests.Consuming;

/// <summary>
/// A handler the test drives: every record waits at a gate until the test opens it (or runs through when its gate is
/// open beforehand). Records which records run at the same time, and in which order they started and finished.
/// </summary>
internal sealed class GatedHandler
{
    private readonly ConcurrentDictionary<(int, long), TaskCompletionSource> _gates = new();
    private readonly Lock _gate = new();
    private readonly List<string> _events = [];
    private readonly HashSet<(int, long)> _running = [];
    private bool _openByDefault;

    public int MaxRunning { get; private set; }

    public List<string> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyCollection<(int Partition, long Offset)> Running
    {
        get
        {
            lock (_gate)
            {
                return [.. _running];
            }
        }
    }

    /// <summary>Finished (handled) records, in order.</summary>
    public IReadOnlyList<(int Partition, long Offset)> Finished
    {
        get
        {
            lock (_gate)
            {
                return [.. _events.Where(e => e.StartsWith("end ", StringComparison.Ordinal)).Select(Parse)];
            }
        }
    }

    /// <summary>Every record passes without waiting from now on.</summary>
    public void OpenAll()
    {
        _openByDefault = true;
        foreach (var gate in _gates.Values)
        {
            gate.TrySetResult();
        }
    }

    public void Open(int partition, long offset) => Gate(partition, offset).TrySetResult();

    public async ValueTask HandleAsync(ConsumeContext context)
    {
        var id = (context.Partition, context.Offset);
        lock (_gate)
        {
            _running.Add(id);
            MaxRunning = Math.Max(MaxRunning, _running.Count);
            _events.Add($"start {context.Partition}/{context.Offset}");
        }

        try
        {
            if (!_openByDefault)
            {
                await Gate(context.Partition, context.Offset).Task.WaitAsync(context.CancellationToken);
            }
        }
        finally
        {
            lock (_gate)
            {
                _running.Remove(id);
                _events.Add($"end {context.Partition}/{context.Offset}");
            }
        }
    }

    private TaskCompletionSource Gate(int partition, long offset)
    {
        var gate = _gates.GetOrAdd((partition, offset), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (_openByDefault)
        {
            gate.TrySetResult();
        }

        return gate;
    }

    private static (int, long) Parse(string e)
    {
        var parts = e[4..].Split('/');
        return (int.Parse(parts[0]), long.Parse(parts[1]));
    }
}
