using System.Text;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.ErrorHandling.Tests.Support;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.ErrorHandling.Tests.Recovery;

public sealed class LoggingRecovererTests
{
    [Fact]
    public async Task RecoverAsync_LogsCoordinatesAndException_NeverPayload()
    {
        var logger = new CapturingLogger<LoggingRecoverer>();
        var recoverer = new LoggingRecoverer(logger);
        var failure = new TransientException("boom");
        var context = Records.Context(partition: 2, offset: 17, key: Encoding.UTF8.GetBytes("secret-key"), value: Encoding.UTF8.GetBytes("secret-value"));

        await recoverer.RecoverAsync(context, failure, CancellationToken.None);

        var entry = Assert.Single(logger.Entries);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal(2020, entry.EventId.Id);
        Assert.Same(failure, entry.Exception);
        Assert.Contains("orders [2] @17", entry.Message, StringComparison.Ordinal);
        Assert.Contains("billing", entry.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", entry.Message, StringComparison.Ordinal);
    }
}

internal sealed class CapturingLogger<T> : ILogger<T>
{
    public List<(LogLevel Level, EventId EventId, string Message, Exception? Exception)> Entries { get; } = [];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Add((logLevel, eventId, formatter(state, exception), exception));
}
