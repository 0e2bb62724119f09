using KafkaPipeline.Building;
using KafkaPipeline.Deduplication.PostgreSql.Inbox;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Places the PostgreSQL transactional inbox in a pipeline.</summary>
public static class PostgreSqlInboxPipelineExtensions
{
    /// <summary>
    /// Puts the PostgreSQL transactional inbox (services from <c>AddPostgreSqlInbox</c>) in the deduplication slot:
    /// where <c>UseDeduplication()</c> was placed, or here.
    /// </summary>
    public static ConsumePipelineBuilder UsePostgreSqlInbox(this ConsumePipelineBuilder pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return pipeline.UseDeduplication(build => new PostgreSqlInboxMiddleware(build.Services, build.Consumer));
    }
}
