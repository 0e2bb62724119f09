using KafkaPipeline.Cli;
using KafkaPipeline.DeadLetters.Tests.Support;
using KafkaPipeline.Tests.Support;

namespace KafkaPipeline.DeadLetters.Tests.Cli;

/// <summary>At 120 columns the tables fit and never break a word across lines; only text with spaces wraps.</summary>
public sealed class TableLayoutTests(OneBrokerCluster fixture) : IClassFixture<OneBrokerCluster>
{
    private const int Width = 120;

    [Theory]
    [InlineData("inspect", "InvalidOrderException|DeserializationException|customer-12345|billing-service|2025-03-01|10:00:00Z|2@1234567")]
    [InlineData("list", "{topic}-dlt|InvalidOrderException|DeserializationException|2025-03-01|10:00:00Z")]
    [InlineData("replay --dry-run", "InvalidOrderException|DeserializationException|{topic}/2")]
    [InlineData("inspect --show 0@0", "com.shop.orders.InvalidOrderException|customer-12345|billing-service|10:00:00Z|kafka_dlt-original-consumer-group")]
    public async Task Table_At120Columns_KeepsEveryWordWholeAndFits(string command, string expectedWords)
    {
        var topic = fixture.CreateTopicWithDeadLetters("layout-orders-settlement");
        var failedAt = new DateTimeOffset(2025, 3, 1, 10, 0, 0, TimeSpan.Zero);
        await SpringDeadLetter.ProduceAsync(fixture.Bootstrap, topic + "-dlt", 0,
            new SpringDeadLetter(topic, 2, 1234567) { Key = "customer-12345", Group = "billing-service", FailedAt = failedAt, ExceptionFqcn = "com.shop.orders.InvalidOrderException", Message = "Order o-5 has a negative amount -50 (refunds are not supported yet)" },
            new SpringDeadLetter(topic, 1, 7) { Key = "customer-12345", Group = "billing-service", FailedAt = failedAt, ExceptionFqcn = "KafkaPipeline.Serialization.DeserializationException", Message = "Could not deserialize orders [1] @7 (34 bytes) as Shop.Orders.OrderPlaced: 'o' is an invalid start of a value." });
        string[] args = command.StartsWith("list", StringComparison.Ordinal)
            ? ["list", "--suffix", topic + "-dlt"]
            : [command.Split(' ')[0], topic + "-dlt", .. command.Split(' ').Skip(1)];

        var (code, output) = await RunAsync([.. args, "-b", fixture.Bootstrap]);

        Assert.True(code == ExitCodes.Success, output);
        var words = expectedWords.Replace("{topic}", topic, StringComparison.Ordinal).Split('|');
        Assert.All(words, word => Assert.True(output.Contains(word, StringComparison.Ordinal), $"'{word}' is broken or missing:\n{output}"));
        Assert.All(output.Split('\n'), line => Assert.True(line.Length <= Width, $"line longer than {Width}: {line}"));
    }

    private static async Task<(int Code, string Output)> RunAsync(string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var console = CliConsole.Plain(stdout, stderr);
        console.Out.Profile.Width = Width;
        var code = await KafkaDltApp.RunAsync(args, console);
        return (code, stdout + stderr.ToString());
    }
}
