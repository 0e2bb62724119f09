using Confluent.Kafka;
using KafkaPipeline.Diagnostics;
using KafkaPipeline.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace KafkaPipeline.Tests.Observability;

public sealed class KafkaClientLogTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly ListLogger _logger = new();

    [Theory]
    [InlineData(SyslogLevel.Emergency, LogLevel.Critical)]
    [InlineData(SyslogLevel.Alert, LogLevel.Critical)]
    [InlineData(SyslogLevel.Critical, LogLevel.Critical)]
    [InlineData(SyslogLevel.Error, LogLevel.Error)]
    [InlineData(SyslogLevel.Warning, LogLevel.Warning)]
    [InlineData(SyslogLevel.Notice, LogLevel.Information)]
    [InlineData(SyslogLevel.Info, LogLevel.Information)]
    [InlineData(SyslogLevel.Debug, LogLevel.Debug)]
    public void Map_SyslogLevel_LogLevel(SyslogLevel syslog, LogLevel expected) => Assert.Equal(expected, KafkaClientLog.Map(syslog));

    [Fact]
    public void OnError_SameTransportErrorHundredTimes_OneLineThenOneSummaryAfterTheWindow()
    {
        var log = new KafkaClientLog(_logger, "consumer of group 'g'", _time);
        for (var i = 0; i < 100; i++)
        {
            log.OnError(new Error(ErrorCode.Local_Transport, $"127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed: Connection refused (after {i % 3}ms in state CONNECT)"));
        }

        Assert.Single(_logger.Entries);
        Assert.Equal((LogLevel.Warning, 1101), (_logger.Entries[0].Level, _logger.Entries[0].EventId.Id));

        _time.Advance(RepeatGate.Window);
        log.Flush();

        var summary = Assert.Single(_logger.Entries, e => e.EventId.Id == 1102);
        Assert.Contains("repeated 99 more time(s)", summary.Message);
    }

    [Fact]
    public void OnLog_FailLinesDuplicateErrorCallback_LoggedAtDebugOthersMapped()
    {
        var log = new KafkaClientLog(_logger, "dead-letter producer", _time);

        log.OnLog(new LogMessage("rdkafka#producer-1", SyslogLevel.Error, "FAIL", "Connect to ipv4#127.0.0.1:1 failed"));
        log.OnLog(new LogMessage("rdkafka#producer-1", SyslogLevel.Warning, "CONFWARN", "Configuration property session.timeout.ms is a consumer property"));
        log.OnLog(new LogMessage("rdkafka#producer-1", SyslogLevel.Notice, "TERMINATE", "Producer terminating"));

        Assert.Equal([LogLevel.Debug, LogLevel.Debug, LogLevel.Information], _logger.Entries.Select(e => e.Level));
        Assert.All(_logger.Entries, e => Assert.Equal(1100, e.EventId.Id));
        Assert.Contains("dead-letter producer", _logger.Entries[2].Message);
    }
}
