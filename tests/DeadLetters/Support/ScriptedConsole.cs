using KafkaPipeline.Cli;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace KafkaPipeline.DeadLetters.Tests.Support;

/// <summary>An interactive (no-colour) console whose keyboard types <paramref name="keys"/>, to answer prompts in tests.</summary>
internal sealed class ScriptedConsole(TextWriter output, string keys) : IAnsiConsole
{
    private readonly IAnsiConsole _inner = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.Yes,
        Out = new AnsiConsoleOutput(output),
    });

    private readonly ScriptedInput _input = new(keys);

    public Profile Profile => _inner.Profile;

    public IAnsiConsoleCursor Cursor => _inner.Cursor;

    public IAnsiConsoleInput Input => _input;

    public IExclusivityMode ExclusivityMode => _inner.ExclusivityMode;

    public RenderPipeline Pipeline => _inner.Pipeline;

    public void Clear(bool home) => _inner.Clear(home);

    public void Write(IRenderable renderable) => _inner.Write(renderable);

    public void WriteAnsi(Action<AnsiWriter> action) => _inner.WriteAnsi(action);

    /// <summary>A kafka-dlt console that can prompt, answering with <paramref name="keys"/>.</summary>
    public static CliConsole Create(TextWriter stdout, TextWriter stderr, string keys)
    {
        var plain = CliConsole.Plain(stdout, stderr);
        return new CliConsole { Out = new ScriptedConsole(stdout, keys), Error = plain.Error, Stdout = stdout, Stderr = stderr, CanPrompt = true };
    }

    private sealed class ScriptedInput(string keys) : IAnsiConsoleInput
    {
        private readonly Queue<char> _keys = new(keys);

        public bool IsKeyAvailable() => _keys.Count > 0;

        public ConsoleKeyInfo? ReadKey(bool intercept)
        {
            var key = _keys.Count > 0 ? _keys.Dequeue() : '\r';
            return new ConsoleKeyInfo(key, key == '\r' ? ConsoleKey.Enter : ConsoleKey.A, false, false, false);
        }

        public Task<ConsoleKeyInfo?> ReadKeyAsync(bool intercept, CancellationToken cancellationToken) => Task.FromResult(ReadKey(intercept));
    }
}
