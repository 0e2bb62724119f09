using KafkaPipeline.ErrorHandling.Recovery;

namespace KafkaPipeline.ErrorHandling.Tests.Support;

/// <summary>Pipelines that succeed, or throw a scripted exception per call.</summary>
internal static class Pipelines
{
    public static ConsumeDelegate Succeeds => _ => ValueTask.CompletedTask;

    public static ConsumeDelegate Throws(Exception exception) => _ => throw exception;

    /// <summary>Throws the exceptions in order, then succeeds.</summary>
    public static ConsumeDelegate ThrowsInOrder(params Exception[] exceptions)
    {
        var next = 0;
        return _ => next < exceptions.Length ? throw exceptions[next++] : ValueTask.CompletedTask;
    }
}

/// <summary>Records what it was asked to recover; throws the scripted failures first.</summary>
internal sealed class RecordingRecoverer(params Exception[] failures) : IConsumerRecordRecoverer
{
    private int _calls;

    public List<(ConsumeContext Context, Exception Exception)> Recovered { get; } = [];

    public int Calls => _calls;

    public ValueTask RecoverAsync(ConsumeContext context, Exception exception, CancellationToken cancellationToken)
    {
        var call = _calls++;
        if (call < failures.Length)
        {
            throw failures[call];
        }

        Recovered.Add((context, exception));
        return ValueTask.CompletedTask;
    }
}

/// <summary>Records every listener callback as text.</summary>
internal sealed class RecordingListener : IRetryListener
{
    public List<string> Events { get; } = [];

    public void FailedDelivery(ConsumeContext context, Exception exception, int attempt) =>
        Events.Add($"failed @{context.Offset} #{attempt} {exception.GetType().Name}");

    public void Recovered(ConsumeContext context, Exception exception) =>
        Events.Add($"recovered @{context.Offset} {exception.GetType().Name}");

    public void RecoveryFailed(ConsumeContext context, Exception exception, Exception failure) =>
        Events.Add($"recovery failed @{context.Offset} {failure.Message}");
}

internal sealed class TransientException(string message = "transient") : Exception(message);

internal sealed class PoisonException(string message = "poison", Exception? inner = null) : Exception(message, inner);
