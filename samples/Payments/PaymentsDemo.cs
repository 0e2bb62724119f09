using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using KafkaPipeline.Testing;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace KafkaPipeline.Samples.Payments;

/// <summary>Produces payments, runs the consumer process, kills it mid-flight, restarts it and reads the ledger.</summary>
internal static class PaymentsDemo
{
    private const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=kafkapipeline;Password=kafkapipeline;Database=kafkapipeline";
    private const string CrashAfter = "pay-0005";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(IConfiguration settings)
    {
        var postgres = settings["Postgres"] ?? DefaultPostgres;
        await using var dataSource = NpgsqlDataSource.Create(postgres);
        if (!await CanConnectAsync(dataSource, postgres))
        {
            return 2;
        }

        await Ledger.CreateTablesAsync(dataSource);
        var runId = Guid.NewGuid().ToString("N")[..8];
        var topic = "payments-" + runId;
        var group = "billing-" + runId;

        using var cluster = string.IsNullOrWhiteSpace(settings["BootstrapServers"]) ? EmbeddedKafkaCluster.Start() : null;
        var bootstrap = cluster?.BootstrapServers ?? settings["BootstrapServers"]!;
        cluster?.CreateTopic(topic, partitions: 2);
        Console.WriteLine($"Kafka: {(cluster is null ? bootstrap : "embedded cluster " + bootstrap)}; topic {topic}; group {group}; run {runId}");

        var payments = Enumerable.Range(1, 8)
            .Select(i => new Payment($"pay-{i:0000}", $"acct-{(i % 3) + 1}", 10m * i + 0.99m))
            .ToList();
        // pay-0003 is produced twice, as a producer retry would: same message-id, two records.
        var records = payments.Append(payments[2]).ToList();
        var partitionEnds = await ProduceAsync(bootstrap, topic, records);
        Console.WriteLine($"Produced {records.Count} records: {payments.Count} payments, {payments[2].Id} twice (a producer retry).");

        var arguments = new Dictionary<string, string>
        {
            ["BootstrapServers"] = bootstrap,
            ["Topic"] = topic,
            ["Group"] = group,
            ["RunId"] = runId,
            ["Postgres"] = postgres,
        };
        var ledger = new Ledger(dataSource, runId);

        Console.WriteLine();
        Console.WriteLine($"1) Consumer process, told to crash right after charging {CrashAfter}:");
        using (var first = ChildProcess.Start(new Dictionary<string, string>(arguments) { ["CrashAfter"] = CrashAfter }))
        {
            var marker = await first.WaitForLineAsync(PaymentsConsumer.CrashMarker, Deadline);
            Console.WriteLine($"  [consumer {first.Id}] {marker}");
            first.Kill();
            Console.WriteLine($"  SIGKILL sent to {first.Id}: no shutdown, no offset commit.");
        }

        var afterCrash = await ledger.ReportAsync();
        Console.WriteLine($"  Ledger after the crash: {CrashAfter} charged {afterCrash.GetValueOrDefault(CrashAfter).Charges} time(s).");

        Console.WriteLine();
        Console.WriteLine("2) Consumer restarted: Kafka redelivers every record whose offset was not committed.");
        using (var second = ChildProcess.Start(arguments))
        {
            var deadline = DateTime.UtcNow + Deadline;
            while (!Committed(bootstrap, group, topic, partitionEnds.Length).SequenceEqual(partitionEnds))
            {
                if (DateTime.UtcNow > deadline)
                {
                    Console.Error.WriteLine($"The restarted consumer did not commit every offset within {Deadline}.\n{second.Output}");
                    return 1;
                }

                await Task.Delay(100);
            }

            await second.StopAsync(TimeSpan.FromSeconds(30));
        }

        Console.WriteLine();
        Console.WriteLine("3) Ledger (PostgreSQL):");
        Console.WriteLine("  payment     deliveries  charges");
        var report = await ledger.ReportAsync();
        var ok = true;
        foreach (var payment in payments)
        {
            var (deliveries, charges) = report.GetValueOrDefault(payment.Id);
            ok &= charges == 1;
            var note = charges == 1 ? "charged once" : $"CHARGED {charges} TIMES";
            Console.WriteLine($"  {payment.Id}   {deliveries,10}  {charges,7}   {note}");
        }

        var (crashDeliveries, crashCharges) = report.GetValueOrDefault(CrashAfter);
        Console.WriteLine();
        Console.WriteLine(ok && crashDeliveries >= 2
            ? $"{CrashAfter} was delivered {crashDeliveries} times (crash before the offset commit) and charged once: the inbox's processed mark committed with the charge."
            : $"Unexpected result: {CrashAfter} delivered {crashDeliveries} times, charged {crashCharges} times.");
        return ok && crashDeliveries >= 2 ? 0 : 1;
    }

    private static async Task<bool> CanConnectAsync(NpgsqlDataSource dataSource, string connectionString)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await using var connection = await dataSource.OpenConnectionAsync(timeout.Token);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or System.Net.Sockets.SocketException)
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString) { Password = null };
            Console.Error.WriteLine($"""
                PostgreSQL is not reachable ({builder.Host}:{builder.Port}, database '{builder.Database}', user '{builder.Username}'): {e.Message}
                Start it on loopback with:   bash scripts/services.sh
                (installs and starts PostgreSQL and creates the kafkapipeline role/database), or pass another server with
                --postgres "Host=…;Username=…;Password=…;Database=…" or the KP_POSTGRES environment variable.
                """);
            return false;
        }
    }

    /// <summary>Produces the payments (message-id header = payment id); returns each partition's end offset.</summary>
    private static async Task<long[]> ProduceAsync(string bootstrap, string topic, List<Payment> payments)
    {
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig
        {
            BootstrapServers = bootstrap,
            Acks = Acks.All,
            EnableIdempotence = true,
        }).Build();
        foreach (var payment in payments)
        {
            await producer.ProduceAsync(topic, new Message<string, string>
            {
                Key = payment.Account,
                Value = JsonSerializer.Serialize(payment),
                Headers = new Headers { { "message-id", Encoding.UTF8.GetBytes(payment.Id) } },
            });
        }

        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build();
        var partitions = admin.GetMetadata(topic, TimeSpan.FromSeconds(10)).Topics[0].Partitions.Count;
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = "payments-demo-watermarks" }).Build();
        return [.. Enumerable.Range(0, partitions).Select(p => consumer.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(10)).High.Value)];
    }

    private static long[] Committed(string bootstrap, string group, string topic, int partitions)
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = bootstrap, GroupId = group }).Build();
        return [.. consumer.Committed(Enumerable.Range(0, partitions).Select(p => new TopicPartition(topic, p)), TimeSpan.FromSeconds(10))
            .OrderBy(c => c.Partition.Value).Select(c => Math.Max(0, c.Offset.Value))]; // -1001 (nothing committed) on an empty partition
    }

    /// <summary>This program started again with <c>--Mode=consumer</c>; its output is echoed with the consumer's lines.</summary>
    private sealed class ChildProcess : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = [];

        private ChildProcess(Process process) => _process = process;

        public int Id => _process.Id;

        public string Output
        {
            get
            {
                lock (_lines)
                {
                    return string.Join('\n', _lines);
                }
            }
        }

        public static ChildProcess Start(Dictionary<string, string> arguments)
        {
            // Under `dotnet run` this program is its apphost; under `dotnet x.dll` it is the dotnet host.
            var self = Environment.ProcessPath!;
            var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            {
                info.ArgumentList.Add(typeof(PaymentsDemo).Assembly.Location);
            }

            info.ArgumentList.Add("--Mode=consumer");
            foreach (var (key, value) in arguments)
            {
                info.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"--{key}={value}"));
            }

            var child = new ChildProcess(new Process { StartInfo = info });
            child._process.OutputDataReceived += (_, e) => child.Receive(e.Data, echo: e.Data?.StartsWith("  [consumer", StringComparison.Ordinal) == true);
            child._process.ErrorDataReceived += (_, e) => child.Receive(e.Data, echo: true);
            child._process.Start();
            child._process.BeginOutputReadLine();
            child._process.BeginErrorReadLine();
            return child;
        }

        public async Task<string> WaitForLineAsync(string prefix, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (true)
            {
                lock (_lines)
                {
                    if (_lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) is { } line)
                    {
                        return line;
                    }
                }

                if (_process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"the consumer process did not reach '{prefix}':\n{Output}");
                }

                await Task.Delay(20);
            }
        }

        /// <summary>SIGKILL on Linux.</summary>
        public void Kill()
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        /// <summary>Closes its standard input (it stops gracefully); kills it if it does not exit in time.</summary>
        public async Task StopAsync(TimeSpan timeout)
        {
            _process.StandardInput.Close();
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                Kill();
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                Kill();
            }

            _process.Dispose();
        }

        private void Receive(string? line, bool echo)
        {
            if (line is null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Add(line);
            }

            if (echo)
            {
                Console.WriteLine(line);
            }
        }
    }
}
