using System.CommandLine;
using KafkaPipeline.DeadLetters.Reading;

namespace KafkaPipeline.Cli.Options;

/// <summary>The record filters shared by <c>inspect</c> and <c>replay</c>.</summary>
internal sealed class FilterOptions
{
    public Option<string?> Exception { get; } = new("--exception", "-e") { Description = "Part of the exception type or cause type, any case (e.g. InvalidOrder, TimeoutException)." };

    public Option<string?> Key { get; } = new("--key", "-k") { Description = "Only records with this key (UTF-8 text, exact)." };

    public Option<string?> OriginalTopic { get; } = new("--original-topic") { Description = "Only records that failed on this topic." };

    public Option<int?> OriginalPartition { get; } = new("--original-partition") { Description = "Only records from this partition of the original topic." };

    public Option<int?> Partition { get; } = new("--partition", "-p") { Description = "Only this partition of the dead-letter topic." };

    public Option<long?> FromOffset { get; } = new("--from-offset") { Description = "Lowest dead-letter offset, inclusive (per partition)." };

    public Option<long?> ToOffset { get; } = new("--to-offset") { Description = "Highest dead-letter offset, inclusive (per partition)." };

    public Option<string?> Since { get; } = new("--since") { Description = "Dead-lettered at or after: an age (30m, 2h, 7d; a replay keeps the window its first run resolved) or an ISO time (2025-01-31T08:00Z)." };

    public Option<string?> Until { get; } = new("--until") { Description = "Dead-lettered before: an age or an ISO time." };

    public Option<string?> Message { get; } = new("--message", "-m") { Description = "Text in the exception message, any case." };

    public FilterOptions()
    {
        foreach (var option in new[] { OriginalPartition, Partition })
        {
            option.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<int?>() is < 0)
                {
                    r.AddError($"{r.Option.Name} must be 0 or more.");
                }
            });
        }

        foreach (var option in new[] { FromOffset, ToOffset })
        {
            option.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<long?>() is < 0)
                {
                    r.AddError($"{r.Option.Name} must be 0 or more.");
                }
            });
        }

        foreach (var option in new[] { Since, Until })
        {
            option.Validators.Add(r =>
            {
                if (r.GetValueOrDefault<string?>() is { } text && !TimeInput.TryParse(text, DateTimeOffset.UtcNow, out _))
                {
                    r.AddError($"{r.Option.Name} '{text}' is neither an age (30m, 2h, 7d) nor an ISO-8601 time.");
                }
            });
        }
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Exception, Key, OriginalTopic, OriginalPartition, Partition, FromOffset, ToOffset, Since, Until, Message })
        {
            command.Options.Add(option);
        }

        command.Validators.Add(r =>
        {
            if (r.GetValue(FromOffset) is { } from && r.GetValue(ToOffset) is { } to && to < from)
            {
                r.AddError($"--to-offset {to} is below --from-offset {from}.");
            }
        });
    }

    /// <summary>The filter; an age (<c>--since 1d</c>) stays an age, resolved by whatever reads or replays, so a replay's progress group does not change with the clock.</summary>
    public DeadLetterFilter Bind(ParseResult parse) => new()
    {
        ExceptionType = Blank(parse.GetValue(Exception)),
        Key = parse.GetValue(Key),
        OriginalTopic = Blank(parse.GetValue(OriginalTopic)),
        OriginalPartition = parse.GetValue(OriginalPartition),
        Partition = parse.GetValue(Partition),
        FromOffset = parse.GetValue(FromOffset),
        ToOffset = parse.GetValue(ToOffset),
        FromTime = Time(parse.GetValue(Since)),
        ToTime = Time(parse.GetValue(Until)),
        MaxAge = Age(parse.GetValue(Since)),
        MinAge = Age(parse.GetValue(Until)),
        MessageContains = Blank(parse.GetValue(Message)),
    };

    private static DateTimeOffset? Time(string? text) =>
        text is not null && !AgeText.TryParse(text, out _) && TimeInput.TryParseTime(text, out var time) ? time : null;

    private static TimeSpan? Age(string? text) => AgeText.TryParse(text, out var age) ? age : null;

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
