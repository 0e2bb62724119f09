using System.Text;
using KafkaPipeline.ErrorHandling.Recovery;
using KafkaPipeline.ErrorHandling.Tests.Support;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.ErrorHandling.Tests.Recovery;

public sealed class LoggingRecovererTests
{
    [Fact]
    public async Task RecoverAsync_LogsCoordinatesAndException_NeverPayload()
    {
        var logger = new ListLogger();
        var recoverer = new LoggingRecoverer(logger.For<LoggingRecoverer>());
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
