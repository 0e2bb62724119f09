using System.Text.Json;
using Confluent.Kafka;
using KafkaPipeline.Native;
using KafkaPipeline.RetryTopics.Topology;
using KafkaPipeline.Samples.RetryTopics;
using KafkaPipeline.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Non-blocking, key-ordered retry topics on an embedded cluster: 8 orders x 3 steps; order-3's step 1 fails twice and
// succeeds from the second retry topic (its step 2 follows it there, in order); order-7's step 0 fails for good and goes
// to the DLT (its later steps follow it and are shipped after it). Everything else flows on the main topic meanwhile.
using var cluster = EmbeddedKafkaCluster.Start(brokers: 1);
foreach (var topic in RetryTopology.Create("shipments", new() { Attempts = 3, Delay = TimeSpan.FromSeconds(1), Multiplier = 2 }).Topics)
{
    cluster.CreateTopic(topic.Name, partitions: 2); // the mock serves no CreateTopics; a real cluster gets them created
}

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, DisableDefaults = true });
builder.Configuration["Kafka:BootstrapServers"] = cluster.BootstrapServers;
builder.Logging.AddSimpleConsole(o => o.SingleLine = true).AddFilter(level => level >= LogLevel.Warning)
    .AddFilter("KafkaPipeline.RetryTopics", LogLevel.None).AddFilter("KafkaPipeline.ErrorHandling", LogLevel.None);
var journal = new Journal();
builder.Services.AddSingleton(journal);
builder.Services.AddKafkaPipeline(builder.Configuration.GetSection("Kafka"))
    .AddHandlersFromAssembly(typeof(ShippingHandler).Assembly)
    .UseRetryTopics();

using var host = builder.Build();
await host.StartAsync();
await ProduceAsync(cluster.BootstrapServers);
var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
while ((journal.StepsByOrder.Values.Sum(s => s.Count) < 23 || journal.DeadLettered < 1) && DateTime.UtcNow < deadline)
{
    await Task.Delay(100);
}

await host.StopAsync();
var inOrder = journal.StepsByOrder.All(o => o.Value.SequenceEqual(o.Value.Order()));
Console.WriteLine();
Console.WriteLine($"Summary: {journal.StepsByOrder.Values.Sum(s => s.Count)} of 24 steps shipped, {journal.DeadLettered} dead-lettered; every order's steps in order: {inOrder}.");
Console.WriteLine("Inspect what went through the retry topics with: dotnet run --project src/Cli -- -b <bootstrap> list");
return inOrder && journal.DeadLettered == 1 ? 0 : 1;

static async Task ProduceAsync(string bootstrap)
{
    using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap, Acks = Acks.All }).Build();
    for (var step = 0; step < 3; step++)
    {
        for (var order = 0; order < 8; order++)
        {
            var id = $"order-{order}";
            await producer.ProduceAsync("shipments", new Message<string, string> { Key = id, Value = JsonSerializer.Serialize(new { order = id, step }) });
        }
    }
}
