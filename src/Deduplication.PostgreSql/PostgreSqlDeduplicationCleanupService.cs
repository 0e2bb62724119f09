using KafkaPipeline.Deduplication.PostgreSql.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KafkaPipeline.Deduplication.PostgreSql;

/// <summary>Deletes expired rows every <see cref="PostgreSqlDeduplicationOptions.CleanupInterval"/> (off when zero).</summary>
internal sealed class PostgreSqlDeduplicationCleanupService(DeduplicationTable table, ILoggerFactory? loggerFactory = null) : BackgroundService
{
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("KafkaPipeline.Deduplication.PostgreSql");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = table.Options.CleanupInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, table.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await table.EnsureCreatedAsync(stoppingToken).ConfigureAwait(false);
                    Log.CleanupDeleted(_logger, await table.CleanupAsync(stoppingToken).ConfigureAwait(false), table.Name);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    Log.CleanupFailed(_logger, table.Name, interval, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // host stopping
        }
    }
}
