using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

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
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"consumer process exited ({_process.ExitCode}) before '{prefix}':\n{Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no '{prefix}' from the consumer process within {timeout}:\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Waits until the process printed COMPLETED or DEADLETTERED for each of <paramref name="ids"/>.</summary>
    public async Task WaitForFinishedAsync(IReadOnlyCollection<string> ids, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var finished = _lines.Where(l => l.StartsWith("COMPLETED ", StringComparison.Ordinal) || l.StartsWith("DEADLETTERED ", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..]).ToHashSet(StringComparer.Ordinal);
            var missing = ids.Where(id => !finished.Contains(id)).ToList();
            if (missing.Count == 0)
            {
                return;
            }

            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"records {string.Join(", ", missing)} did not finish before the kill:\n{Output}");
            }

            await Task.Delay(20);
        }
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
