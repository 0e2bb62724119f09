using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Tests.Support;

/// <summary>
/// Keeps every log entry, at every level, so tests can assert on event ids, levels, messages and exceptions. Use it as
/// a logger, as an <see cref="ILogger{T}"/> (<see cref="For{T}"/>), or as a host's logging provider (<see cref="Register"/>).
/// </summary>
public sealed class ListLogger : ILogger, ILoggerProvider
{
    private readonly List<LogEntry> _entries = [];

    public IReadOnlyList<LogEntry> Entries
    {
        get
        {
            lock (_entries)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Adds this logger to a host's logging, at every level (whatever the host's filters let other providers see).</summary>
    public void Register(IServiceCollection services) =>
        services.AddLogging(b => b.AddProvider(this).AddFilter<ListLogger>(_ => true));

    /// <summary>A typed logger that writes into this list.</summary>
    public ILogger<T> For<T>() => new Typed<T>(new Category(this, typeof(T).FullName ?? typeof(T).Name));

    public ILogger CreateLogger(string categoryName) => new Category(this, categoryName);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Add(string.Empty, logLevel, eventId, formatter(state, exception), exception);

    void IDisposable.Dispose()
    {
        // The entries outlive the host that used this as a provider.
    }

    private void Add(string category, LogLevel level, EventId eventId, string message, Exception? exception)
    {
        lock (_entries)
        {
            _entries.Add(new LogEntry(category, level, eventId, message, exception));
        }
    }

    private sealed class Category(ListLogger owner, string name) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(name, logLevel, eventId, formatter(state, exception), exception);
    }

    private sealed class Typed<T>(ILogger inner) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, exception, formatter);
    }
}

/// <summary>One entry of a <see cref="ListLogger"/>; <see cref="Category"/> is empty when the logger was used directly.</summary>
public sealed record LogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);
