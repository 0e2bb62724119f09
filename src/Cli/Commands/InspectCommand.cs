using System.CommandLine;
using KafkaPipeline.Cli.Options;
using KafkaPipeline.Cli.Output;
using KafkaPipeline.DeadLetters;
using KafkaPipeline.DeadLetters.Preview;
using KafkaPipeline.DeadLetters.Reading;
using Spectre.Console;

namespace KafkaPipeline.Cli.Commands;

/// <summary><c>kafka-dlt inspect &lt;topic&gt;</c>: the dead letters as a table or JSON lines, or one in full with <c>--show</c>. Reads only.</summary>
internal static class InspectCommand
{
    public static Command Create(CommandRuntime runtime)
    {
        var topic = new Argument<string>("topic") { Description = "The dead-letter topic, e.g. orders-dlt." };
        var filters = new FilterOptions();
        var limit = new Option<int>("--limit", "-n") { Description = "Most records to print; 0 for all.", DefaultValueFactory = _ => 100 };
        var show = new Option<string?>("--show") { Description = "Show one record in full: PARTITION@OFFSET as in the first column (e.g. 0@17); filters do not apply." };
        var payload = new Option<PayloadFormat>("--payload") { Description = "Payload preview for --show: auto (pretty JSON, text or hex), text, json, hex.", DefaultValueFactory = _ => PayloadFormat.Auto };
        var maxBytes = new Option<int>("--max-bytes") { Description = "Largest payload preview for --show, in bytes (hex) or characters.", DefaultValueFactory = _ => 4096 };
        var json = JsonOption.Create("one object per record (with --show: the record with headers and value)");
        limit.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) { r.AddError("--limit must be 0 (all) or more."); } });
        maxBytes.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) { r.AddError("--max-bytes must be 1 or more."); } });
        show.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text && !RecordCoordinates.TryParse(text, out _, out _))
            {
                r.AddError($"--show '{text}' is not PARTITION@OFFSET (e.g. 0@17).");
            }
        });

        var command = new Command("inspect", "Show the records of a dead-letter topic (without committing or joining any group).") { topic, limit, show, payload, maxBytes, json };
        filters.AddTo(command);
        command.SetAction((parse, cancellationToken) => runtime.RunAsync(parse, cancellationToken, async (client, _) =>
        {
            var name = parse.GetValue(topic)!;
            if (RecordCoordinates.TryParse(parse.GetValue(show), out var partition, out var offset))
            {
                var record = await client.GetRecordAsync(name, partition, offset, cancellationToken).ConfigureAwait(false);
                var preview = PayloadPreview.Render(record.Value, parse.GetValue(payload), parse.GetValue(maxBytes));
                if (parse.GetValue(json))
                {
                    runtime.Console.Stdout.WriteLine(RecordJson.Line(RecordJson.Full(record, preview)));
                }
                else
                {
                    RecordDetails.Write(runtime.Console.Out, record, PayloadPreview.Render(record.Key, PayloadFormat.Auto, 256), preview);
                }

                return ExitCodes.Success;
            }

            var filter = filters.Bind(parse);
            return await ListAsync(runtime, client, name, filter, parse.GetValue(limit), parse.GetValue(json), cancellationToken).ConfigureAwait(false);
        }));
        return command;
    }

    private static async Task<int> ListAsync(
        CommandRuntime runtime, DeadLetterClient client, string topic, DeadLetterFilter filter, int limit, bool json, CancellationToken cancellationToken)
    {
        var table = new RecordTable();
        var matched = 0L;
        var more = false;
        await foreach (var record in client.ReadAsync(topic, filter, cancellationToken).ConfigureAwait(false))
        {
            if (limit != 0 && matched == limit)
            {
                more = true; // one match past the limit is enough to say so; reading stops here
                break;
            }

            matched++;

            if (json)
            {
                runtime.Console.Stdout.WriteLine(RecordJson.Line(RecordJson.Summary(record)));
            }
            else
            {
                table.Add(record);
            }
        }

        var selection = filter.IsEmpty ? string.Empty : $" matching {filter.Describe()}";
        var shown = more ? $"Showing the first {matched} matching records; more match (--limit 0 for all){(filter.IsEmpty ? string.Empty : $". Selection: {filter.Describe()}")}." : $"{matched} record(s){selection}.";
        if (json)
        {
            runtime.Console.WriteInfo($"'{topic}': {shown}");
            return ExitCodes.Success;
        }

        if (matched == 0)
        {
            runtime.Console.Out.MarkupLine($"No dead letters{TerminalText.Markup(selection)} in '{TerminalText.Markup(topic)}'.");
            return ExitCodes.Success;
        }

        table.Write(runtime.Console.Out);
        runtime.Console.Out.MarkupLine(TerminalText.Markup(shown) + $" Details: kafka-dlt inspect {TerminalText.Markup(topic)} --show PARTITION@OFFSET");
        return ExitCodes.Success;
    }
}
