namespace KafkaPipeline.Benchmarks.Concurrency;

/// <summary>Awaits the plan's latency, then throws when the plan says this delivery fails; reports to the probe.</summary>
internal sealed class BenchHandler(Probe probe) : IMessageHandler<byte[]>
{
    public ValueTask HandleAsync(byte[] message, ConsumeContext context, CancellationToken cancellationToken)
    {
        var entered = System.Diagnostics.Stopwatch.GetTimestamp();
        var id = probe.Enter(context);
        if (probe.Plan.Latency > TimeSpan.Zero)
        {
            return AfterLatencyAsync(id, context.DeliveryAttempt, entered, cancellationToken);
        }

        Finish(id, context.DeliveryAttempt, entered);
        return ValueTask.CompletedTask;
    }

    private async ValueTask AfterLatencyAsync(long id, int attempt, long entered, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(probe.Plan.Latency, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            probe.Exit(id, handled: false, entered);
            throw;
        }

        Finish(id, attempt, entered);
    }

    private void Finish(long id, int attempt, long entered)
    {
        var fails = probe.Plan.Fails(probe.Data, id, attempt);
        probe.Exit(id, handled: !fails, entered);
        if (fails)
        {
            throw new BenchFailureException($"benchmark failure of record {id}, delivery attempt {attempt}");
        }
    }
}

/// <summary>The failure the plan asks for (retryable by default).</summary>
internal sealed class BenchFailureException(string message) : Exception(message);
