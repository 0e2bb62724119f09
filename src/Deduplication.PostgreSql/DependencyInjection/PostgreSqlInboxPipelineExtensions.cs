using KafkaPipeline.Building;
using KafkaPipeline.Deduplication.PostgreSql.Inbox;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Places the PostgreSQL transactional inbox in a pipeline.</summary>
public static class PostgreSqlInboxPipelineExtensions
{
    /// <summary>
    /// Replaces the deduplication step with the PostgreSQL transactional inbox (services from <c>AddPostgreSqlInbox</c>).
    /// It goes where this call places it: call it after <c>UseDeserialization()</c> and before <c>UseHandler()</c> when
    /// placing built-in steps explicitly; without them it runs after deserialization and right before the handler.
    /// </summary>
    public static ConsumePipelineBuilder UsePostgreSqlInbox(this ConsumePipelineBuilder pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return pipeline.WithoutDeduplication().UseMiddleware<PostgreSqlInboxMiddleware>();
    }
}
