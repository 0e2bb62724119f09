using KafkaPipeline.ErrorHandling.Attributes;
using KafkaPipeline.ErrorHandling.BackOff;
using KafkaPipeline.ErrorHandling.Configuration;
using KafkaPipeline.ErrorHandling.Diagnostics;
using KafkaPipeline.ErrorHandling.Recovery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KafkaPipeline.ErrorHandling.DependencyInjection;

/// <summary>
/// Builds one consumer's <see cref="DefaultErrorHandler"/> at start from its <see cref="ErrorHandlingOptions"/> (named after
/// the group: defaults, configuration, then the Program.cs callbacks) and the handlers' attributes. Every problem found is
/// reported at once, naming the option and the fix.
/// </summary>
internal sealed class DefaultErrorHandlerFactory(
    IOptionsFactory<ErrorHandlingOptions> options,
    IDeadLetterProducer producer,
    TimeProvider time,
    ILoggerFactory? loggers = null)
{
    private readonly ILoggerFactory _loggers = loggers ?? NullLoggerFactory.Instance;

    public DefaultErrorHandler Create(IServiceProvider services, ConsumerDescriptor consumer)
    {
        // A fresh instance per consumer: configuration, then the application-wide callbacks, then the consumer's own.
        var settings = options.Create(consumer.GroupId);
        var errors = new List<string>(settings.ConfigurationErrors);
        var policies = HandlerErrorPolicies.Build(consumer.Handlers, settings.Handler.Classifier, errors);
        if (settings.Recoverer == RecovererKind.DeadLetter)
        {
            settings.DeadLetter.Validate($"DeadLetter (group '{consumer.GroupId}')", errors);
        }

        if (settings.Recoverer == RecovererKind.Custom && settings.CustomRecoverer is null)
        {
            errors.Add($"ErrorHandlingOptions (group '{consumer.GroupId}'):Recoverer is Custom without a CustomRecoverer. Fix: use eh.Recoverer(sp => …).");
        }

        settings.Handler.Validate($"DefaultErrorHandler (group '{consumer.GroupId}')", errors, requireRecoverer: false);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(consumer.GroupId, typeof(ErrorHandlingOptions), errors);
        }

        var logger = _loggers.CreateLogger<DefaultErrorHandler>();
        settings.Handler.Recoverer = CreateRecoverer(services, consumer, settings, policies, logger);
        WarnAboutRiskySettings(consumer, settings, logger);
        return new DefaultErrorHandler(settings.Handler, logger, policies.IsEmpty ? null : policies.For);
    }

    private IConsumerRecordRecoverer CreateRecoverer(
        IServiceProvider services, ConsumerDescriptor consumer, ErrorHandlingOptions settings, HandlerErrorPolicies policies, ILogger logger)
    {
        switch (settings.Recoverer)
        {
            case RecovererKind.Log:
                Log.LoggingRecovererChosen(logger, consumer.GroupId);
                return new LoggingRecoverer(_loggers.CreateLogger<LoggingRecoverer>());
            case RecovererKind.Custom:
                return settings.CustomRecoverer!(services)
                    ?? throw new InvalidOperationException($"The recoverer factory of group '{consumer.GroupId}' returned null. Fix: return an IConsumerRecordRecoverer.");
            default:
                Func<ConsumeContext, string?>? handlerTopic = policies.IsEmpty ? null : context => policies.For(context)?.DeadLetterTopic;
                return new DeadLetterPublishingRecoverer(producer, settings.DeadLetter, _loggers.CreateLogger<DeadLetterPublishingRecoverer>(), time, handlerTopic);
        }
    }

    private static void WarnAboutRiskySettings(ConsumerDescriptor consumer, ErrorHandlingOptions settings, ILogger logger)
    {
        var backOff = settings.Handler.BackOff;
        var unbounded = backOff switch
        {
            FixedBackOff f => f.MaxAttempts == FixedBackOff.UnlimitedAttempts,
            ExponentialBackOff e => e.MaxAttempts is null && e.MaxElapsedTime is null,
            _ => false,
        };
        if (unbounded)
        {
            Log.UnboundedBackOff(logger, consumer.GroupId, backOff.ToString() ?? backOff.GetType().Name);
        }

        Log.ErrorHandlerConfigured(
            logger,
            consumer.GroupId,
            backOff.ToString() ?? backOff.GetType().Name,
            settings.Recoverer.ToString(),
            settings.Handler.MaxRecoveryFailures?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited");
    }
}
