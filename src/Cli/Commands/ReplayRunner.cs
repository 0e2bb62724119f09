using KafkaPipeline.Cli.Output;
using KafkaPipeline.DeadLetters;
using KafkaPipeline.DeadLetters.Replay;
using Spectre.Console;

namespace KafkaPipeline.Cli.Commands;

/// <summary>The replay conversation: plan, show it, confirm, replay with progress and audit, summarise, pick the exit code.</summary>
internal sealed class ReplayRunner(CommandRuntime runtime, DeadLetterClient client, ReplayRunner.Options options)
{
    private CliConsole Console => runtime.Console;

    public async Task<int> RunAsync(ReplayRequest request, CancellationToken cancellationToken)
    {
        var plan = await client.PlanReplayAsync(request, cancellationToken).ConfigureAwait(false);
        ReplayView.WritePlan(Console, plan, options.Json, options.DryRun);
        if (plan.Selected == 0 && plan.Refused == 0)
        {
            Console.WriteInfo("Nothing to replay.");
            return ExitCodes.Success;
        }

        if (options.DryRun)
        {
            var preview = new DryRunView(Console, options.Json);
            var dry = await client.ReplayAsync(plan, preview, dryRun: true, cancellationToken).ConfigureAwait(false);
            preview.Flush();
            ReplayView.WriteResult(Console, dry, null, options.Json);
            return ExitCode(dry);
        }

        if (!options.Yes && !Confirm(plan))
        {
            return ExitCodes.Declined;
        }

        using var audit = AuditLog.Open(options.AuditPath, Console.Stderr);
        var observers = new ReplayObservers(audit, options.Json ? new JsonReplayObserver(Console.Stdout) : null);
        var result = await ReplayWithProgressAsync(plan, observers, cancellationToken).ConfigureAwait(false);
        ReplayView.WriteResult(Console, result, audit, options.Json);
        return ExitCode(result);
    }

    private bool Confirm(ReplayPlan plan)
    {
        // With --json, stdout carries data: ask on stderr.
        var terminal = options.Json ? Console.Error : Console.Out;
        if (!Console.CanPrompt || !terminal.Profile.Capabilities.Interactive)
        {
            throw new UsageException("Replay needs confirmation, but there is no terminal to ask. Review the plan (--dry-run), then pass --yes.");
        }

        var targets = plan.Targets.Count == 0 ? "nowhere" : string.Join(", ", plan.Targets.Select(t => t.Key));
        var refused = plan.Refused == 0 ? string.Empty : $" ({plan.Refused} refused by the loop guard will be passed over)";
        return terminal.Prompt(new ConfirmationPrompt(
            $"Replay {plan.Selected} record(s) from '{TerminalText.Markup(plan.Request.Topic)}' to {TerminalText.Markup(targets)}{Markup.Escape(refused)}?") { DefaultValue = false });
    }

    private async Task<ReplayResult> ReplayWithProgressAsync(ReplayPlan plan, ReplayObservers observers, CancellationToken cancellationToken)
    {
        var total = plan.Selected + plan.Refused;
        var console = options.Json ? Console.Error : Console.Out;
        if (console.Profile.Capabilities.Interactive)
        {
            return await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"Replaying {TerminalText.Markup(plan.Request.Topic)}", maxValue: Math.Max(1, total));
                    observers.Progress = done =>
                    {
                        task.Value = done;
                        task.Description = $"Replaying {TerminalText.Markup(plan.Request.Topic)} ({done}/{total})";
                    };
                    var result = await client.ReplayAsync(plan, observers, dryRun: false, cancellationToken).ConfigureAwait(false);
                    task.StopTask();
                    return result;
                }).ConfigureAwait(false);
        }

        // Not a terminal: no animation, a plain line at every tenth.
        var step = Math.Max(1, total / 10);
        observers.Progress = done =>
        {
            if (done % step == 0 || done == total)
            {
                Console.WriteInfo($"replay progress: {done}/{total}");
            }
        };
        return await client.ReplayAsync(plan, observers, dryRun: false, cancellationToken).ConfigureAwait(false);
    }

    private static int ExitCode(ReplayResult result) => result.Status switch
    {
        ReplayStatus.Failed => ExitCodes.ReplayFailed,
        ReplayStatus.Interrupted => ExitCodes.Interrupted,
        _ when result.Refused > 0 && !result.DryRun => ExitCodes.ReplayRefusedRecords,
        _ => ExitCodes.Success,
    };

    internal sealed record Options(bool DryRun, bool Yes, bool Json, string AuditPath);
}
