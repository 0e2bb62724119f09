namespace KafkaPipeline;

/// <summary>A pipeline component, created once per consumer at start.</summary>
public interface IConsumeMiddleware
{
    /// <summary>
    /// Call <paramref name="next"/> to continue; return without calling it to short-circuit (the record
    /// then counts as handled); throw to fail the record.
    /// </summary>
    ValueTask InvokeAsync(ConsumeContext context, ConsumeDelegate next);
}
