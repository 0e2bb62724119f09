using System.CommandLine;
using KafkaPipeline.Cli.Demo;
using KafkaPipeline.Cli.Options;
using KafkaPipeline.DeadLetters;
using KafkaPipeline.DeadLetters.Connection;

namespace KafkaPipeline.Cli.Commands;

/// <summary>What every command needs: the console, the connection, the clock; maps failures to exit codes in one place.</summary>
internal sealed class CommandRuntime(CliConsole console, ConnectionOptions connection, TimeProvider time)
{
    public CliConsole Console { get; } = console;

    public TimeProvider Time { get; } = time;

    public ConnectionOptions Connection { get; } = connection;

    /// <summary>Runs <paramref name="body"/> with a client (against the embedded demo when asked) and turns failures into exit codes.</summary>
    public async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken, Func<DeadLetterClient, KafkaConnectionSettings, Task<int>> body)
    {
        DemoEnvironment? demo = null;
        try
        {
            if (parse.GetValue(Connection.EmbeddedDemo))
            {
                demo = await DemoEnvironment.StartAsync(Console, cancellationToken).ConfigureAwait(false);
                demo.DeployFix();
            }

            var settings = Connection.Resolve(parse, Console, demo?.BootstrapServers);
            var code = await body(new DeadLetterClient(settings, Time), settings).ConfigureAwait(false);
            if (demo is not null)
            {
                await demo.WaitUntilCaughtUpAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                Console.WriteInfo($"Embedded demo: the pipeline has processed {demo.Billing.Processed} order(s), "
                    + $"{demo.Billing.ProcessedAfterReplay} of them replayed; the cluster stops now.");
            }

            return code;
        }
        catch (DeadLetterOperationException e)
        {
            Console.WriteError(e.Message);
            return For(e.Kind);
        }
        catch (UsageException e)
        {
            Console.WriteError(e.Message);
            return ExitCodes.Usage;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.WriteWarning("Interrupted.");
            return ExitCodes.Interrupted;
        }
        finally
        {
            if (demo is not null)
            {
                await demo.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public static int For(DeadLetterErrorKind kind) => kind switch
    {
        DeadLetterErrorKind.Configuration or DeadLetterErrorKind.BrokersUnreachable => ExitCodes.Connection,
        DeadLetterErrorKind.TopicNotFound or DeadLetterErrorKind.RecordNotFound => ExitCodes.NotFound,
        DeadLetterErrorKind.MissingDeadLetterHeaders => ExitCodes.MissingHeaders,
        DeadLetterErrorKind.InvalidRequest => ExitCodes.Usage,
        _ => ExitCodes.UnexpectedError,
    };
}
