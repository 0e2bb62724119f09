using System.Text;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Diagnostics;

/// <summary>
/// Collapses repeated identical messages (numbers such as timings and counters ignored): the first is let through, the
/// repeats within <see cref="Window"/> are only counted, and when the window ends (at the next repeat or the next
/// <see cref="Flush"/>) one summary with the count is due. Thread-safe: librdkafka logs from its own threads.
/// </summary>
internal sealed class RepeatGate(TimeProvider time)
{
    /// <summary>How long repeats of a message are counted before the count is reported.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(60);

    private const int MaxEntries = 256;
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>
    /// True when <paramref name="message"/> should be logged now; <paramref name="repeats"/> is the count of suppressed
    /// repeats of the window that just ended (to report before it), else 0.
    /// </summary>
    public bool Admit(string message, out int repeats, out TimeSpan over, LogLevel level = LogLevel.Warning)
    {
        var key = Normalize(message);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry) && now - entry.Since < Window)
            {
                entry.Suppressed++;
                repeats = 0;
                over = TimeSpan.Zero;
                return false;
            }

            repeats = entry?.Suppressed ?? 0;
            over = entry is null ? TimeSpan.Zero : now - entry.Since;
            if (_entries.Count >= MaxEntries && entry is null)
            {
                _entries.Clear(); // a flood of distinct messages: start over rather than grow
            }

            _entries[key] = new Entry(message, now, level);
            return true;
        }
    }

    /// <summary>Summaries due for messages whose window ended without a new occurrence (message, repeats, over).</summary>
    public List<(string Message, int Repeats, TimeSpan Over, LogLevel Level)>? Flush()
    {
        var now = time.GetUtcNow();
        List<(string, int, TimeSpan, LogLevel)>? due = null;
        lock (_gate)
        {
            if (_entries.Count == 0)
            {
                return null;
            }

            List<string>? ended = null;
            foreach (var (key, entry) in _entries)
            {
                if (now - entry.Since >= Window)
                {
                    (ended ??= []).Add(key);
                    if (entry.Suppressed > 0)
                    {
                        (due ??= []).Add((entry.Message, entry.Suppressed, now - entry.Since, entry.Level));
                    }
                }
            }

            if (ended is not null)
            {
                foreach (var key in ended)
                {
                    _entries.Remove(key);
                }
            }
        }

        return due;
    }

    /// <summary>The message with every run of digits replaced, so "after 0ms" and "after 1ms" are the same message.</summary>
    internal static string Normalize(string message)
    {
        var builder = new StringBuilder(message.Length);
        var inDigits = false;
        foreach (var c in message)
        {
            if (char.IsAsciiDigit(c))
            {
                if (!inDigits)
                {
                    builder.Append('#');
                }

                inDigits = true;
            }
            else
            {
                builder.Append(c);
                inDigits = false;
            }
        }

        return builder.ToString();
    }

    private sealed class Entry(string message, DateTimeOffset since, LogLevel level)
    {
        public LogLevel Level { get; } = level;

        public string Message { get; } = message;

        public DateTimeOffset Since { get; } = since;

        public int Suppressed { get; set; }
    }
}
