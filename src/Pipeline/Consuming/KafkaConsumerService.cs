using KafkaPipeline.Diagnostics;
using KafkaPipeline.Health;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Consuming;

/// <summary>One consumer: runs its poll loop on a dedicated thread until the host stops.</summary>
internal sealed class KafkaConsumerService(ConsumerEngine loop, KafkaConsumerStatus status, ILogger logger) : BackgroundService
{
    public string GroupId => status.GroupId;

    /// <summary>Creates the consumer's Kafka client (at host start, before any consumer runs).</summary>
    public void Open() => loop.Open();

    /// <summary>Releases the client of a consumer that will not run.</summary>
    public void Abandon() => loop.Abandon();

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => Run(stoppingToken, done))
        {
            IsBackground = true,
            Name = $"kafka-consumer:{status.GroupId}",
        };
        thread.Start();
        return done.Task;
    }

    private void Run(CancellationToken stoppingToken, TaskCompletionSource done)
    {
        try
        {
            loop.Run(stoppingToken);
            status.State = KafkaConsumerState.Stopped;
            Log.ConsumerStopped(logger, status.GroupId);
            done.SetResult();
        }
        catch (Exception ex)
        {
            status.Fault = ex;
            status.State = KafkaConsumerState.Faulted;
            Log.ConsumerFailed(logger, status.GroupId, ex);
            done.SetException(ex);
        }
    }
}
