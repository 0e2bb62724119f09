using System.CommandLine;
using KafkaPipeline.Cli.Options;
using KafkaPipeline.Cli.Output;
using KafkaPipeline.DeadLetters.Replay;

namespace KafkaPipeline.Cli.Commands;

/// <summary><c>kafka-dlt replay &lt;topic&gt;</c>: send dead letters back, resumably, with a loop guard, audit and confirmation.</summary>
internal static class ReplayCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var topic = new Argument<string>("topic") { Description = "The dead-letter topic, e.g. orders-dlt." };
        var filters = new FilterOptions();
        var to = new Option<string?>("--to") { Description = "Send to this topic instead of each record's original topic (needed for records without dead-letter headers)." };
        var partitioning = new Option<ReplayPartitioning>("--partitioning") { Description = "original: the record's original partition, keeping per-key order (default); key: the producer's partitioner.", DefaultValueFactory = _ => ReplayPartitioning.Original };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be sent; send and commit nothing." };
        var rate = new Option<double?>("--rate") { Description = "Most records per second (default: no limit)." };
        var maxReplays = new Option<int>("--max-replays") { Description = "Loop guard: refuse records already replayed this many times.", DefaultValueFactory = _ => 3 };
        var force = new Option<bool>("--force") { Description = "Replay records the loop guard would refuse." };
        var group = new Option<string?>("--group", "-g") { Description = "Progress group on the dead-letter topic (default kafka-dlt-replay, or kafka-dlt-replay-<hash> per filter selection)." };
        var audit = new Option<string>("--audit") { Description = "Append one JSON audit line per record to this file ('-' for stderr).", DefaultValueFactory = _ => AuditLog.DefaultFile };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation (needed when not run from a terminal)." };
        var batchSize = new Option<int>("--batch-size") { Description = "Most records in flight (not yet acknowledged); progress is committed after this many acknowledgements and at least every second; 1 = strictly one at a time.", DefaultValueFactory = _ => 100 };
        var keepOriginal = new Option<bool>("--keep-original-headers") { Description = "Keep the kafka_dlt-original-* headers on replayed records (default: dropped)." };
        var json = JsonOption.Create("the plan, one audit object per record and the result");
        rate.Validators.Add(r => { if (r.GetValueOrDefault<double?>() is { } v && (v <= 0 || double.IsNaN(v) || double.IsInfinity(v))) { r.AddError("--rate must be a positive number of records per second."); } });
        maxReplays.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) { r.AddError("--max-replays must be 1 or more (use --force to bypass the loop guard)."); } });
        batchSize.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 100_000) { r.AddError("--batch-size must be between 1 and 100000."); } });
        group.Validators.Add(r => { if (r.GetValueOrDefault<string?>() is { } g && string.IsNullOrWhiteSpace(g)) { r.AddError("--group must not be blank."); } });

        var command = new Command("replay", "Republish dead letters to their original topic (or --to), resumably: progress is committed only after acks=all.")
        {
            topic, to, partitioning, dryRun, rate, maxReplays, force, group, audit, yes, batchSize, keepOriginal, json,
        };
        filters.AddTo(command);
        command.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, cancellationToken, (client, _) =>
        {
            var request = new ReplayRequest(parse.GetValue(topic)!)
            {
                Filter = filters.Bind(parse),
                TargetTopic = parse.GetValue(to),
                Partitioning = parse.GetValue(partitioning),
                GroupId = parse.GetValue(group),
                MaxReplays = parse.GetValue(maxReplays),
                Force = parse.GetValue(force),
                KeepOriginalHeaders = parse.GetValue(keepOriginal),
                RatePerSecond = parse.GetValue(rate),
                BatchSize = parse.GetValue(batchSize),
            };
            var options = new ReplayRunner.Options(parse.GetValue(dryRun), parse.GetValue(yes), parse.GetValue(json), parse.GetValue(audit)!);
            return new ReplayRunner(runtime, client, options).RunAsync(request, cancellationToken);
        }));
        return command;
    }
}
