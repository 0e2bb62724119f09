using System.Runtime.CompilerServices;
using Confluent.Kafka;
using KafkaPipeline.DeadLetters.Connection;
using KafkaPipeline.DeadLetters.Listing;
using KafkaPipeline.DeadLetters.Reading;
using KafkaPipeline.DeadLetters.Replay;

namespace KafkaPipeline.DeadLetters;

/// <summary>
/// Lists, reads and replays dead-letter topics written by KafkaPipeline's <c>DeadLetterPublishingRecoverer</c> or by
/// Spring for Apache Kafka. Reading never joins a consumer group and never commits; replaying commits its progress
/// only in its own group on the dead-letter topic, and only after the records were acknowledged. Each call creates
/// and disposes its own Kafka clients; failures the operator can fix throw <see cref="DeadLetterOperationException"/>.
/// </summary>
public sealed class DeadLetterClient
{
    private readonly KafkaConnectionSettings _settings;
    private readonly TimeProvider _time;

    /// <summary>Creates a client for the cluster of <paramref name="settings"/>; <paramref name="time"/> defaults to the system clock.</summary>
    public DeadLetterClient(KafkaConnectionSettings settings, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _settings = settings;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The dead-letter topics (by suffix) with counts per partition, age and top exception types.</summary>
    public Task<IReadOnlyList<DeadLetterTopicSummary>> ListTopicsAsync(DeadLetterListOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => DeadLetterTopicLister.ListAsync(Clients(), options ?? new DeadLetterListOptions(), cancellationToken), cancellationToken);

    /// <summary>
    /// The records of <paramref name="topic"/> that match <paramref name="filter"/> (ages counted back from when reading
    /// starts), up to the end seen when reading starts, in partition then offset order. Reading is lazy: stop enumerating
    /// and nothing more is fetched.
    /// </summary>
    public async IAsyncEnumerable<DeadLetterRecord> ReadAsync(
        string topic, DeadLetterFilter? filter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        filter ??= DeadLetterFilter.None;
        filter.Validate();
        var now = _time.GetUtcNow();
        var clients = Clients();
        var (consumer, ranges) = await Task.Run(() => Open(clients, topic, filter), cancellationToken).ConfigureAwait(false);
        using (consumer)
        {
            foreach (var range in ranges.OrderBy(r => r.Partition))
            {
                await foreach (var record in DeadLetterReader.ReadAsync(clients, consumer, topic, [range], cancellationToken).ConfigureAwait(false))
                {
                    if (filter.Matches(record, now))
                    {
                        yield return record;
                    }
                }
            }
        }
    }

    /// <summary>One record by its dead-letter coordinates.</summary>
    public async Task<DeadLetterRecord> GetRecordAsync(string topic, int partition, long offset, CancellationToken cancellationToken = default)
    {
        var filter = new DeadLetterFilter { Partition = partition, FromOffset = offset, ToOffset = offset };
        try
        {
            await foreach (var record in ReadAsync(topic, filter, cancellationToken).ConfigureAwait(false))
            {
                return record;
            }
        }
        catch (DeadLetterOperationException e) when (e.Kind == DeadLetterErrorKind.InvalidRequest)
        {
            // The only invalid part of these coordinates is a partition the topic does not have: the record does not exist.
            throw new DeadLetterOperationException(DeadLetterErrorKind.RecordNotFound,
                $"'{topic}' has no record at partition {partition}, offset {offset}: {e.Message}", e);
        }

        throw new DeadLetterOperationException(DeadLetterErrorKind.RecordNotFound,
            $"'{topic}' partition {partition} has no record at offset {offset} (it may have expired, or the offset is beyond the end). "
            + $"Fix: run 'kafka-dlt inspect {topic} --partition {partition}' to see the offsets that exist.");
    }

    /// <summary>Reads what a replay would send and checks it can be sent; sends and commits nothing.</summary>
    public Task<ReplayPlan> PlanReplayAsync(ReplayRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.Run(() => ReplayPlanner.PlanAsync(Clients(), request, _time, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Carries out <paramref name="plan"/> (or, with <paramref name="dryRun"/>, reports what it would send without sending
    /// or committing). Cancelling <paramref name="cancellationToken"/> stops sending, waits for the records in flight and
    /// commits their progress: the result is then <see cref="ReplayStatus.Interrupted"/>, and replaying the same
    /// selection again continues where this one stopped.
    /// </summary>
    public Task<ReplayResult> ReplayAsync(ReplayPlan plan, IReplayObserver? observer = null, bool dryRun = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return Task.Run(() => ReplayEngine.RunAsync(Clients(), plan, dryRun, observer, _time, cancellationToken), CancellationToken.None);
    }

    private KafkaClients Clients() => new(_settings);

    private static (IConsumer<byte[]?, byte[]?> Consumer, List<PartitionRange> Ranges) Open(KafkaClients clients, string topic, DeadLetterFilter filter)
    {
        TopicMetadata metadata;
        using (var admin = clients.CreateAdmin())
        {
            metadata = KafkaClients.RequireTopic(clients.GetMetadata(admin), topic, "dead-letter topic");
        }

        var consumer = clients.CreateConsumer("kafka-dlt-inspect");
        try
        {
            return (consumer, DeadLetterReader.Ranges(clients, consumer, metadata, filter));
        }
        catch
        {
            consumer.Dispose();
            throw;
        }
    }
}
