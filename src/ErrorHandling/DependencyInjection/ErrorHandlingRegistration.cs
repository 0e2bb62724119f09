using KafkaPipeline.DependencyInjection;

namespace KafkaPipeline.ErrorHandling.DependencyInjection;

/// <summary>The Program.cs callbacks for the default error handler (a DI singleton instance): application-wide and per consumer.</summary>
internal sealed class ErrorHandlingRegistration
{
    /// <summary>A builder over the application's pipeline registrations: its <c>Configuration</c> is read when options are bound.</summary>
    public KafkaPipelineBuilder? Pipeline { get; set; }

    public List<Action<DefaultErrorHandlerBuilder>> Configure { get; } = [];

    public Dictionary<string, List<Action<DefaultErrorHandlerBuilder>>> ConfigureByGroup { get; } = new(StringComparer.Ordinal);

    /// <summary>The callbacks for <paramref name="groupId"/>: application-wide first, then the consumer's, each in call order.</summary>
    public IEnumerable<Action<DefaultErrorHandlerBuilder>> For(string groupId) =>
        ConfigureByGroup.TryGetValue(groupId, out var own) ? Configure.Concat(own) : Configure;
}
