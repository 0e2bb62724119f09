using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.Errors;

namespace KafkaPipeline.ErrorHandling.Tests.Support;

/// <summary>Builds a DefaultErrorHandler over a recording recoverer and listener for unit tests.</summary>
internal static class ErrorHandlers
{
    public static DefaultErrorHandler Create(
        RecordingRecoverer recoverer,
        IRetryListener listener,
        IBackOff? backOff = null,
        Action<DefaultErrorHandlerOptions>? configure = null)
    {
        var options = new DefaultErrorHandlerOptions { Recoverer = recoverer };
        if (backOff is not null)
        {
            options.BackOff = backOff;
        }

        options.RetryListeners.Add(listener);
        configure?.Invoke(options);
        return new DefaultErrorHandler(options);
    }
}
