using KafkaPipeline.Samples.Payments;
using Microsoft.Extensions.Configuration;

// Payments with the PostgreSQL transactional inbox: a crash after the charge was written but before the Kafka offset
// was committed redelivers the payment, and the inbox makes sure it is not charged twice.
//
//   dotnet run --project samples/Payments                 (needs PostgreSQL: bash scripts/services.sh)
//   dotnet run --project samples/Payments -- --postgres "Host=…;Username=…;Password=…;Database=…"
//   dotnet run --project samples/Payments -- --bootstrap-servers broker:9092   (a real cluster instead of the embedded one)
//
// The demo (this process) starts an embedded Kafka cluster, produces payments and runs the consumer as a child process
// (this same program with --Mode=consumer), which it kills with SIGKILL right after one payment's inbox transaction
// committed; then it restarts the consumer and reads the ledger.
var settings = new ConfigurationBuilder()
    .AddCommandLine(args, new Dictionary<string, string>
    {
        ["--postgres"] = "Postgres",
        ["--bootstrap-servers"] = "BootstrapServers",
    })
    .AddEnvironmentVariables("KP_")
    .Build();

if (settings["Mode"] == "consumer")
{
    return await PaymentsConsumer.RunAsync(settings);
}

return await PaymentsDemo.RunAsync(settings);
