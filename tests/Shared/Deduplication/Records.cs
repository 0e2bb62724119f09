using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.Deduplication.Tests.Support;

internal static class Records
{
    public static ConsumeContext Context(string? messageId, long offset = 5, string group = "g", string topic = "orders") =>
        new(
            new ConsumeResult<byte[]?, byte[]?>
            {
                Topic = topic,
                Partition = 0,
                Offset = offset,
                Message = new Message<byte[]?, byte[]?>
                {
                    Key = Encoding.UTF8.GetBytes("k"),
                    Value = Encoding.UTF8.GetBytes("{}"),
                    Headers = messageId is null ? [] : new Headers { { "message-id", Encoding.UTF8.GetBytes(messageId) } },
                },
            },
            new ServiceCollection().BuildServiceProvider())
        {
            GroupId = group,
        };
}

/// <summary>Stands in for the handler step: counts calls that are not duplicates, like HandlerMiddleware.</summary>
internal sealed class FakeHandler
{
    private int _handled;
    private int _reached;

    public int Handled => _handled;

    /// <summary>Times the end of the pipeline was reached (duplicates included: their offsets get committed).</summary>
    public int Reached => _reached;

    public Func<ConsumeContext, ValueTask>? Behavior { get; set; }

    public async ValueTask InvokeAsync(ConsumeContext context)
    {
        if (!context.IsDuplicate)
        {
            if (Behavior is not null)
            {
                await Behavior(context);
            }

            Interlocked.Increment(ref _handled);
        }

        Interlocked.Increment(ref _reached);
    }
}
