namespace KafkaPipeline.Cli;

/// <summary>kafka-dlt's exit codes (documented in docs/tools/kafka-dlt.md; scripts rely on them).</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary>An unexpected error (a bug, or a failure the tool does not classify).</summary>
    public const int UnexpectedError = 1;

    /// <summary>Bad command line: unknown option, invalid value, or a confirmation needed where nobody can answer (use --yes).</summary>
    public const int Usage = 2;

    /// <summary>A topic or record does not exist.</summary>
    public const int NotFound = 3;

    /// <summary>Cannot talk to Kafka: brokers unreachable, or connection settings missing or invalid.</summary>
    public const int Connection = 4;

    /// <summary>Replay stopped because a send (or the progress commit) failed; progress is saved, rerun the same command.</summary>
    public const int ReplayFailed = 5;

    /// <summary>Replay finished, but the loop guard refused some records (use --force to send them).</summary>
    public const int ReplayRefusedRecords = 6;

    /// <summary>Selected records carry no dead-letter headers, so their topic is unknown: pass --to.</summary>
    public const int MissingHeaders = 7;

    /// <summary>The operator declined the confirmation prompt; nothing was sent.</summary>
    public const int Declined = 8;

    /// <summary>Interrupted (Ctrl+C); a replay saved its progress and a rerun continues.</summary>
    public const int Interrupted = 130;
}
