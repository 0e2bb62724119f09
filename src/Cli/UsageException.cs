namespace KafkaPipeline.Cli;

/// <summary>The command line asks for something impossible; exits with <see cref="ExitCodes.Usage"/>.</summary>
internal sealed class UsageException(string message) : Exception(message);
