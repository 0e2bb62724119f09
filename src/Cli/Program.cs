using KafkaPipeline.Cli;

return await KafkaDltApp.RunAsync(args, CliConsole.FromSystem());
