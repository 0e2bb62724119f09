using Confluent.Kafka;
using KafkaPipeline.DeadLetters.Connection;
using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.DeadLetters.Listing;

/// <summary>Finds the dead-letter topics by suffix and summarises each (reads only; joins no group, commits nothing).</summary>
internal static partial class DeadLetterTopicLister
{
    [System.Text.RegularExpressions.GeneratedRegex(@"-retry(-[0-9]+){0,2}$")]
    private static partial System.Text.RegularExpressions.Regex RetryTopicName();

    /// <summary>True for names of retry topics (<c>-retry</c>, <c>-retry-1000</c>, <c>-retry-1000-0</c>).</summary>
    public static bool IsRetryTopic(string topic) => RetryTopicName().IsMatch(topic);

    /// <summary>Shown as the exception type of records without dead-letter headers.</summary>
    public const string NoHeaders = "(no dead-letter headers)";

    private const int TailOffsets = 8;

    public static async Task<IReadOnlyList<DeadLetterTopicSummary>> ListAsync(KafkaClients clients, DeadLetterListOptions options, CancellationToken cancellationToken)
    {
        options.Validate();
        Metadata metadata;
        using (var admin = clients.CreateAdmin())
        {
            metadata = clients.GetMetadata(admin);
        }

        var topics = metadata.Topics
            .Where(t => (options.Suffixes.Any(s => t.Topic.EndsWith(s, StringComparison.Ordinal)) || (options.RetryTopics && IsRetryTopic(t.Topic)))
                && !t.Topic.StartsWith("__", StringComparison.Ordinal) && !t.Error.IsError)
            .OrderBy(t => t.Topic, StringComparer.Ordinal)
            .ToList();
        using var consumer = clients.CreateConsumer("kafka-dlt-list");
        var summaries = new List<DeadLetterTopicSummary>();
        foreach (var topic in topics)
        {
            summaries.Add(await SummarizeAsync(clients, consumer, topic, options, cancellationToken).ConfigureAwait(false));
        }

        return summaries;
    }

    private static async Task<DeadLetterTopicSummary> SummarizeAsync(
        KafkaClients clients, IConsumer<byte[]?, byte[]?> consumer, TopicMetadata topic, DeadLetterListOptions options, CancellationToken cancellationToken)
    {
        var all = DeadLetterReader.Ranges(clients, consumer, topic, DeadLetterFilter.None);
        var perPartition = all.Count == 0 ? 0 : (options.ScanLimit + all.Count - 1) / all.Count;
        var scanning = perPartition > 0;

        // The first record of each partition (the oldest), then its newest: the scan, or without one the last few offsets
        // (a few, because the very last offset may be a transaction marker, which is never delivered).
        var firsts = all.Select(r => r with { End = Math.Min(r.End, r.Start + 1) }).ToList();
        var tails = all.Select(r => r with { Start = Math.Max(r.Start + 1, r.End - (scanning ? perPartition : TailOffsets)) }).ToList();

        var oldest = new Dictionary<int, DateTimeOffset?>();
        var newest = new Dictionary<int, DateTimeOffset?>();
        var read = new Dictionary<int, long>();
        var exceptions = new Dictionary<string, long>(StringComparer.Ordinal);
        var originals = new Dictionary<string, long>(StringComparer.Ordinal);
        var scanned = 0L;
        DateTimeOffset? firstDue = null, lastDue = null;
        var maxAttempts = 0;
        void Count(DeadLetterRecord record)
        {
            read[record.Partition] = read.GetValueOrDefault(record.Partition) + 1;
            if (record.Retry is { } retry)
            {
                maxAttempts = Math.Max(maxAttempts, retry.Attempts);
                firstDue = retry.Due is { } due && (firstDue is null || due < firstDue) ? due : firstDue;
                lastDue = retry.Due is { } late && (lastDue is null || late > lastDue) ? late : lastDue;
            }

            if (!scanning)
            {
                return;
            }

            scanned++;
            var type = record.DeadLetter is null ? NoHeaders : record.FailureType ?? "(unknown)";
            exceptions[type] = exceptions.GetValueOrDefault(type) + 1;
            if (record.DeadLetter?.OriginalTopic is { } original)
            {
                originals[original] = originals.GetValueOrDefault(original) + 1;
            }
        }

        await foreach (var record in DeadLetterReader.ReadAsync(clients, consumer, topic.Topic, firsts, cancellationToken).ConfigureAwait(false))
        {
            oldest[record.Partition] = record.Timestamp;
            Count(record);
        }

        await foreach (var record in DeadLetterReader.ReadAsync(clients, consumer, topic.Topic, tails, cancellationToken).ConfigureAwait(false))
        {
            newest[record.Partition] = record.Timestamp;
            Count(record);
        }

        return new DeadLetterTopicSummary
        {
            Topic = topic.Topic,
            Partitions =
            [
                .. all.Zip(tails, (range, tail) => new PartitionSummary(
                    range.Partition, range.Start, range.End, oldest.GetValueOrDefault(range.Partition), newest.GetValueOrDefault(range.Partition) ?? oldest.GetValueOrDefault(range.Partition))
                {
                    // Every offset was read: the records delivered are the count, transaction markers excluded.
                    Records = tail.Start <= range.Start + 1 ? read.GetValueOrDefault(range.Partition) : null,
                }),
            ],
            TopExceptions = Top(exceptions, options.TopExceptions),
            OriginalTopics = Top(originals, int.MaxValue),
            Scanned = scanned,
            IsRetryTopic = IsRetryTopic(topic.Topic),
            FirstDue = firstDue,
            LastDue = lastDue,
            MaxAttempts = maxAttempts == 0 ? null : maxAttempts,
        };
    }

    private static List<ExceptionCount> Top(Dictionary<string, long> counts, int take) =>
        [.. counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Take(take).Select(c => new ExceptionCount(c.Key, c.Value))];
}
