using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using KafkaPipeline.Tests.Support;

namespace KafkaPipeline.Guarantees.Tests.Support;

/// <summary>A KafkaPipeline.Guarantees.Consumer child process (`dotnet &lt;dll&gt;`), its output, and SIGKILL.</summary>
internal sealed class ConsumerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly StringBuilder _errors = new();

    private ConsumerProcess(Process process) => _process = process;

    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "KafkaPipeline.Guarantees.Consumer.dll");

    public int Id => _process.Id;

    public static ConsumerProcess Start(IEnumerable<KeyValuePair<string, string>> arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var (key, value) in arguments)
        {
            info.ArgumentList.Add($"--{key}={value}");
        }

        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var child = new ConsumerProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child._lines.Enqueue(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (child._errors)
                {
                    child._errors.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public string Output => string.Join('\n', _lines) + "\n" + Errors;

    private string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>Waits for a line starting with <paramref name="prefix"/>; fails early when the process exits.</summary>
    public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
    {
        string? line = null;
        await Eventually.True(
            () => (line = _lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))) is not null || FailIfExited($"before '{prefix}'"),
            () => $"'{prefix}' from the consumer process:\n{Output}",
            timeout);
        return line!;
    }

    /// <summary>Waits until the process printed COMPLETED or DEADLETTERED for each of <paramref name="ids"/>; fails early when it exits.</summary>
    public async Task WaitForFinishedAsync(IReadOnlyCollection<string> ids, TimeSpan timeout)
    {
        var missing = ids.ToList();
        await Eventually.True(
            () =>
            {
                var finished = _lines.Where(l => l.StartsWith("COMPLETED ", StringComparison.Ordinal) || l.StartsWith("DEADLETTERED ", StringComparison.Ordinal))
                    .Select(l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..]).ToHashSet(StringComparer.Ordinal);
                missing = [.. ids.Where(id => !finished.Contains(id))];
                return missing.Count == 0 || FailIfExited($"with records {string.Join(", ", missing)} unfinished");
            },
            () => $"records {string.Join(", ", missing)} to finish before the kill:\n{Output}",
            timeout);
    }

    /// <summary>Waits for the process to exit on its own; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the consumer process did not exit within {timeout}:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL on Linux: no shutdown hooks, no offset commit, no reservation release.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    private bool FailIfExited(string when) =>
        _process.HasExited ? throw new InvalidOperationException($"consumer process exited ({_process.ExitCode}) {when}:\n{Output}") : false;

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }
}
