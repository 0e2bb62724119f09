using System.Diagnostics;
using Confluent.Kafka;
using KafkaPipeline.Diagnostics;
using KafkaPipeline.Errors;
using KafkaPipeline.Health;
using KafkaPipeline.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KafkaPipeline.Consuming;

/// <summary>
/// One delivery of a record, on a lane: a new DI scope and <see cref="ConsumeContext"/>, the error handler around the
/// pipeline, and the decision it returns. Null means abandoned: the record's token was cancelled (revoke or shutdown
/// timeout) and the pipeline stopped, so the record is not done and will be delivered again from the last commit.
/// </summary>
internal sealed class RecordExecution(
    ConsumerDescriptor consumer,
    ConsumeDelegate pipeline,
    IConsumeErrorHandler errorHandler,
    IServiceScopeFactory scopes,
    KafkaConsumerStatus status,
    ILogger logger,
    PipelineMetrics? metrics = null)
{
    private static readonly TimeSpan ErrorHandlerFailureDelay = TimeSpan.FromSeconds(1);

    public async ValueTask<ErrorDisposition?> ExecuteAsync(ConsumeResult<byte[]?, byte[]?> record, RecordFailureState state, CancellationToken token)
    {
        var attempt = ++state.DeliveryAttempt;
        var activity = PipelineTracing.StartProcess(record, consumer.GroupId, attempt);
        var measured = metrics is { Enabled: true };
        var started = measured && metrics!.DurationEnabled ? Stopwatch.GetTimestamp() : 0;
        ConsumeContext? context = null;
        ErrorDisposition? disposition = null;
        var scope = scopes.CreateAsyncScope();
        try
        {
            if (consumer.Options.DeliveryAttemptHeader)
            {
                DeliveryAttemptHeader.Set(record, attempt);
            }

            context = new ConsumeContext(record, scope.ServiceProvider, token)
            {
                GroupId = consumer.GroupId,
                DeliveryAttempt = attempt,
            };
            disposition = await errorHandler.HandleAsync(context, pipeline, state).ConfigureAwait(false);
            if (disposition.Value.Kind == DispositionKind.Retry)
            {
                status.CountFailedDelivery();
            }
            else if (disposition.Value.Kind == DispositionKind.Defer)
            {
                state.DeliveryAttempt--; // not delivered: the next run is the same attempt
            }

            return disposition;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            Log.RecordAbandoned(logger, record.Topic, record.Partition.Value, record.Offset.Value);
            return null;
        }
        catch (Exception ex)
        {
            Log.ErrorHandlerFailed(logger, consumer.GroupId, record.Topic, record.Partition.Value, record.Offset.Value, ex);
            status.CountFailedDelivery();
            PipelineTracing.RecordException(ex);
            return disposition = ErrorDisposition.Retry(ErrorHandlerFailureDelay);
        }
        finally
        {
            await DisposeAsync(scope, record).ConfigureAwait(false);
            if (activity is not null || measured)
            {
                Observe(record, state, context, disposition, activity, measured, started);
            }
        }
    }

    /// <summary>Ends the delivery's span and records its metrics (only when someone listens).</summary>
    private void Observe(
        ConsumeResult<byte[]?, byte[]?> record, RecordFailureState state, ConsumeContext? context, ErrorDisposition? disposition,
        Activity? activity, bool measured, long started)
    {
        var outcome = DeliveryOutcomes.Of(disposition, context?.IsDuplicate == true);
        if (activity is not null)
        {
            PipelineTracing.Stop(activity, outcome, state, disposition);
        }

        if (measured)
        {
            metrics!.RecordDelivery(record.Topic, consumer.GroupId, outcome, context?.DeadLetterTopic, started);
        }
    }

    /// <summary>A scoped service that throws on disposal is logged; the record's outcome stands.</summary>
    private async ValueTask DisposeAsync(AsyncServiceScope scope, ConsumeResult<byte[]?, byte[]?> record)
    {
        try
        {
            await scope.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Log.ScopeDisposeFailed(logger, consumer.GroupId, record.Topic, record.Partition.Value, record.Offset.Value, ex);
        }
    }
}
