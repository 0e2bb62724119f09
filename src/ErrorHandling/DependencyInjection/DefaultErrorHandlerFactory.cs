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
/// Builds one consumer's <see cref="DefaultErrorHandler"/> at start: defaults, then configuration (global, then the
/// consumer's section), then the Program.cs callbacks (global, then the consumer's), then the handlers' attributes.
/// Every problem found is reported at once, naming the option and the fix.
/// </summary>
internal sealed class DefaultErrorHandlerFactory(
    ErrorHandlingRegistration registration,
    IOptionsMonitor<ErrorHandlingOptions> options,
    ErrorHandlingSections sections,
    IDeadLetterProducer producer,
    TimeProvider time,
    ILoggerFactory? loggers = null)
{
    private readonly ILoggerFactory _loggers = loggers ?? NullLoggerFactory.Instance;

    public DefaultErrorHandler Create(IServiceProvider services, ConsumerDescriptor consumer)
    {
        var errors = new List<string>();
        var spec = new ErrorHandlerSpec();
        ErrorHandlingOptionsApplier.Apply(options.Get(consumer.GroupId), spec, ConfigurationPath(consumer.GroupId), errors);

        var builder = new DefaultErrorHandlerBuilder(consumer.GroupId, spec);
        foreach (var configure in registration.For(consumer.GroupId))
        {
            configure(builder);
        }

        var policies = HandlerErrorPolicies.Build(consumer.Handlers, spec.Handler.Classifier, errors);
        if (spec.Recoverer == RecovererChoice.DeadLetter)
        {
            spec.DeadLetter.Validate($"DeadLetter (group '{consumer.GroupId}')", errors);
        }

        spec.Handler.Validate($"DefaultErrorHandler (group '{consumer.GroupId}')", errors, requireRecoverer: false);
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(consumer.GroupId, typeof(ErrorHandlingOptions), errors);
        }

        var logger = _loggers.CreateLogger<DefaultErrorHandler>();
        spec.Handler.Recoverer = CreateRecoverer(services, consumer, spec, policies, logger);
        WarnAboutRiskySettings(consumer, spec, logger);
        return new DefaultErrorHandler(spec.Handler, logger, policies.IsEmpty ? null : policies.For);
    }

    /// <summary>The configuration path named in errors (the group's own section overlays it).</summary>
    private string ConfigurationPath(string groupId) => $"{sections.PathOf(ErrorHandlingSections.ErrorHandling)} (group '{groupId}')";

    private IConsumerRecordRecoverer CreateRecoverer(
        IServiceProvider services, ConsumerDescriptor consumer, ErrorHandlerSpec spec, HandlerErrorPolicies policies, ILogger logger)
    {
        switch (spec.Recoverer)
        {
            case RecovererChoice.Log:
                Log.LoggingRecovererChosen(logger, consumer.GroupId);
                return new LoggingRecoverer(_loggers.CreateLogger<LoggingRecoverer>());
            case RecovererChoice.Custom:
                return spec.CustomRecoverer!(services)
                    ?? throw new InvalidOperationException($"The recoverer factory of group '{consumer.GroupId}' returned null. Fix: return an IConsumerRecordRecoverer.");
            default:
                Func<ConsumeContext, string?>? handlerTopic = policies.IsEmpty ? null : context => policies.For(context)?.DeadLetterTopic;
                return new DeadLetterPublishingRecoverer(producer, spec.DeadLetter, _loggers.CreateLogger<DeadLetterPublishingRecoverer>(), time, handlerTopic);
        }
    }

    private static void WarnAboutRiskySettings(ConsumerDescriptor consumer, ErrorHandlerSpec spec, ILogger logger)
    {
        var backOff = spec.Handler.BackOff;
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
            spec.Recoverer.ToString(),
            spec.Handler.MaxRecoveryFailures?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited");
    }
}
