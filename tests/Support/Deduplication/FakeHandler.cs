namespace KafkaPipeline.Tests.Support.Deduplication;

/// <summary>Stands in for the handler step of a deduplicating pipeline: counts calls that are not duplicates, like HandlerMiddleware.</summary>
public sealed class FakeHandler
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
