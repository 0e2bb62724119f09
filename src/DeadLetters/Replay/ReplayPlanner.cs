using Confluent.Kafka;
using KafkaPipeline.DeadLetters.Connection;
using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.DeadLetters.Replay;

/// <summary>Reads the selected range once, without sending or committing, and checks that every record has somewhere to go.</summary>
internal static class ReplayPlanner
{
    private const int Examples = 3;

    public static async Task<ReplayPlan> PlanAsync(KafkaClients clients, ReplayRequest request, TimeProvider time, CancellationToken cancellationToken)
    {
        request.Validate();
        var window = new ReplayWindow(request.Filter, time.GetUtcNow());
        using var admin = clients.CreateAdmin();
        var metadata = clients.GetMetadata(admin);
        var topic = KafkaClients.RequireTopic(metadata, request.Topic, "dead-letter topic");
        if (request.TargetTopic is { } target)
        {
            KafkaClients.RequireTopic(metadata, target, "target topic (--to)");
        }

        using var consumer = clients.CreateConsumer(request.EffectiveGroupId);
        var committed = Committed(clients, consumer, request.Topic, topic.Partitions.Select(p => p.PartitionId));
        var ranges = DeadLetterReader.Ranges(clients, consumer, topic, request.Filter, p => committed[p]);
        var warnings = new List<string>();
        foreach (var range in ranges)
        {
            if (committed[range.Partition] is { } at && at < range.Start && request.Filter.FromOffset is null)
            {
                warnings.Add($"Partition {range.Partition}: offsets {at}..{range.Start - 1} expired (retention) before this group replayed them.");
            }
        }

        var plan = new ReplayPlan(request, ranges, committed, window);
        var cuts = new WindowCuts(window, committed);
        var targets = new ReplayTargets(request, metadata);
        var perTopic = new Dictionary<string, long>(StringComparer.Ordinal);
        var missing = new List<string>();
        var missingCount = 0L;
        var unknown = new Dictionary<string, long>(StringComparer.Ordinal);
        var byKey = new Dictionary<string, (ByKey First, long Count, List<string> Examples)>(StringComparer.Ordinal);
        await foreach (var record in DeadLetterReader.ReadAsync(clients, consumer, request.Topic, ranges, cancellationToken).ConfigureAwait(false))
        {
            plan.Examined++;
            if (!cuts.Admit(record) || !request.Filter.MatchesExceptAges(record))
            {
                continue;
            }

            if (targets.IsRefused(record))
            {
                plan.Refused++;
                continue;
            }

            plan.Selected++;
            if (targets.TopicOf(record) is not { } to)
            {
                missingCount++;
                if (missing.Count < Examples)
                {
                    missing.Add(record.Coordinates);
                }

                continue;
            }

            perTopic[to] = perTopic.GetValueOrDefault(to) + 1;
            if (targets.ByKeyReason(record) is { } reason)
            {
                var (first, count, examples) = byKey.GetValueOrDefault(reason.Kind, (reason, 0, []));
                if (examples.Count < Examples)
                {
                    examples.Add(record.Coordinates);
                }

                byKey[reason.Kind] = (first, count + 1, examples);
            }

            if (!targets.Exists(to))
            {
                unknown[to] = unknown.GetValueOrDefault(to) + 1;
            }
        }

        if (missingCount > 0)
        {
            throw new DeadLetterOperationException(DeadLetterErrorKind.MissingDeadLetterHeaders,
                $"{missingCount} selected record(s) carry no {ErrorHandling.Recovery.DeadLetterHeaders.OriginalTopic} header (e.g. {string.Join(", ", missing)}), "
                + "so their original topic is unknown. Fix: pass --to <topic>, or narrow the selection with filters.");
        }

        if (unknown.Count > 0)
        {
            var (name, count) = unknown.First();
            throw new DeadLetterOperationException(DeadLetterErrorKind.TopicNotFound,
                $"The original topic '{name}' of {count} selected record(s) does not exist (the tool never creates topics). "
                + "Fix: create it, or pass --to <topic> to send the records elsewhere.");
        }

        foreach (var (first, count, examples) in byKey.Values)
        {
            warnings.Add($"{count} selected record(s) cannot keep their original partition: {first.Reason} (e.g. {string.Join(", ", examples)}). "
                + "Per-key order with the records on their original partition is then not kept. "
                + "Fix: correct the dead letters' headers, or pass --partitioning key to partition every record by key.");
        }

        (plan.Ranges, plan.StoredStarts) = cuts.Cut(ranges);
        plan.Targets = perTopic;
        plan.Warnings = warnings;
        return plan;
    }

    public static Dictionary<int, long?> Committed(KafkaClients clients, IConsumer<byte[]?, byte[]?> consumer, string topic, IEnumerable<int> partitions)
    {
        try
        {
            var committed = consumer.Committed(partitions.Select(p => new TopicPartition(topic, p)), clients.Settings.Timeout);
            return committed.ToDictionary(c => c.Partition.Value, c => c.Offset.IsSpecial ? (long?)null : c.Offset.Value);
        }
        catch (KafkaException e)
        {
            throw clients.Unreachable(e);
        }
    }
}
