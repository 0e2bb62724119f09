using System.Text.Json.Nodes;
using KafkaPipeline.DeadLetters.Reading;
using KafkaPipeline.DeadLetters.Replay;
using Spectre.Console;

namespace KafkaPipeline.Cli.Output;

/// <summary>Prints a replay plan and a replay result, for people or as JSON.</summary>
internal static class ReplayView
{
    public static void WritePlan(CliConsole console, ReplayPlan plan, bool json, bool dryRun)
    {
        var request = plan.Request;
        var committed = string.Join(" ", plan.Committed.OrderBy(c => c.Key).Select(c => $"{c.Key}:{c.Value?.ToString() ?? "-"}"));
        if (json)
        {
            console.Stdout.WriteLine(RecordJson.Line(new JsonObject
            {
                ["plan"] = new JsonObject
                {
                    ["topic"] = request.Topic,
                    ["group"] = plan.GroupId,
                    ["selection"] = request.Filter.Describe(),
                    ["dryRun"] = dryRun,
                    ["examined"] = plan.Examined,
                    ["toSend"] = plan.Selected,
                    ["refused"] = plan.Refused,
                    ["targets"] = new JsonObject([.. plan.Targets.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value))]),
                    ["ranges"] = new JsonArray([.. plan.Ranges.Select(r => (JsonNode)new JsonObject { ["partition"] = r.Partition, ["from"] = r.Start, ["to"] = r.End })]),
                    ["windowStart"] = plan.WindowStart is { } start ? TextFormat.Iso(start) : null,
                    ["windowEnd"] = plan.WindowEnd is { } end ? TextFormat.Iso(end) : null,
                    ["storedStarts"] = new JsonObject([.. plan.StoredStarts.OrderBy(s => s.Key).Select(s => KeyValuePair.Create(s.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), (JsonNode?)s.Value))]),
                },
            }));
            foreach (var warning in plan.Warnings)
            {
                console.WriteWarning(warning);
            }

            return;
        }

        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
        void Row(string name, string value) => grid.AddRow($"[bold]{name}[/]", TerminalText.Markup(value));
        Row("Dead-letter topic", $"{request.Topic} (partitions {string.Join(", ", plan.Ranges.Select(r => r.Partition))})");
        Row("Selection", request.Filter.IsEmpty ? "all records" : request.Filter.Describe());
        Row("Progress group", $"{plan.GroupId} (committed {committed})");
        Row("Offsets", string.Join("  ", plan.Ranges.Select(r => $"{r.Partition}:[{r.Start}..{r.End})")));
        if (WindowText(plan) is { } window)
        {
            Row("Window", window);
        }

        Row("To send", $"{plan.Selected} of {plan.Examined} examined");
        Row("Refused", plan.Refused == 0 ? "0" : $"{plan.Refused} (replayed {request.MaxReplays}+ times already; --force sends them)");
        Row("Targets", plan.Targets.Count == 0 ? "-" : string.Join(", ", plan.Targets.Select(t => $"{t.Key} ×{t.Value}"))
            + (request.Partitioning == ReplayPartitioning.Original ? " (original partitions)" : " (partitioned by key)"));
        Row("Rate", request.RatePerSecond is { } rate ? $"{rate}/s" : "unlimited");
        Row("Headers", request.KeepOriginalHeaders ? "keep original-*, drop exception-*, add replay-*" : "drop kafka_dlt-original-* and -exception-*, add kafka_dlt-replay-*");
        console.Out.Write(new Panel(grid).Header(dryRun ? "Replay plan (dry run)" : "Replay plan"));
        foreach (var warning in plan.Warnings)
        {
            console.WriteWarning(warning);
        }
    }

    /// <summary>How the ages of the selection were resolved, or null when it has none.</summary>
    private static string? WindowText(ReplayPlan plan)
    {
        var parts = new List<string>();
        if (plan.WindowStart is { } start && plan.Request.Filter.MaxAge is { } maxAge)
        {
            var fresh = plan.StoredStarts.Keys.Order().ToList();
            parts.Add(fresh.Count == 0
                ? $"since {AgeText.Format(maxAge)}: every partition continues from the group's progress (its first run stored the window start)"
                : $"since {AgeText.Format(maxAge)} = {TextFormat.Time(start)}: partition(s) {string.Join(", ", fresh)} start at the first record from then, "
                    + "committed before sending, so a rerun keeps this window"
                    + (fresh.Count < plan.Ranges.Count ? "; the others continue from the group's progress" : string.Empty));
        }

        if (plan.WindowEnd is { } end && plan.Request.Filter.MinAge is { } minAge)
        {
            parts.Add($"until {AgeText.Format(minAge)} = {TextFormat.Time(end)}: each partition stops at its first younger record, left for a later run");
        }

        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    public static void WriteResult(CliConsole console, ReplayResult result, AuditLog? audit, bool json)
    {
        var committed = string.Join(" ", result.CommittedOffsets.OrderBy(c => c.Key).Select(c => $"{c.Key}:{c.Value}"));
        if (json)
        {
            console.Stdout.WriteLine(RecordJson.Line(new JsonObject
            {
                ["result"] = new JsonObject
                {
                    ["status"] = result.Status.ToString().ToLowerInvariant(),
                    ["dryRun"] = result.DryRun,
                    ["group"] = result.GroupId,
                    ["replayed"] = result.Replayed,
                    ["refused"] = result.Refused,
                    ["failed"] = result.Failed,
                    ["passedOver"] = result.PassedOver,
                    ["committed"] = new JsonObject([.. result.CommittedOffsets.OrderBy(c => c.Key).Select(c => KeyValuePair.Create(c.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), (JsonNode?)c.Value))]),
                    ["error"] = result.Error,
                    ["audit"] = audit?.Description,
                },
            }));
        }
        else if (result.DryRun)
        {
            console.Out.MarkupLine($"Dry run: [bold]{result.Replayed}[/] record(s) would be sent, {result.Refused} refused by the loop guard. Nothing was sent or committed.");
        }
        else
        {
            var verb = result.Status switch
            {
                ReplayStatus.Completed => "[green]Replay complete[/]",
                ReplayStatus.Interrupted => "[yellow]Replay interrupted[/]",
                _ => "[red]Replay stopped[/]",
            };
            console.Out.MarkupLine($"{verb}: {result.Replayed} replayed, {result.Refused} refused, {result.Failed} failed. "
                + $"Group '{TerminalText.Markup(result.GroupId)}' committed {Markup.Escape(committed.Length == 0 ? "nothing" : committed)}.");
            if (audit is not null)
            {
                console.Out.MarkupLine($"Audit: {audit.Lines} line(s) appended to {TerminalText.Markup(audit.Description)}.");
            }

            if (result.Status == ReplayStatus.Interrupted)
            {
                console.Out.MarkupLine("Run the same command again to continue; nothing acknowledged will be sent twice.");
            }
        }

        if (result.Error is not null)
        {
            console.WriteError(result.Error);
        }
    }
}
