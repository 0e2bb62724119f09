using KafkaPipeline.RetryTopics.Configuration;

namespace KafkaPipeline.RetryTopics.DependencyInjection;

/// <summary>
/// Chooses which handlers get retry topics and how (spring-kafka's <c>RetryTopicConfigurationBuilder</c>), in Program.cs.
/// Handlers with <see cref="RetryableTopicAttribute"/> and groups with a <c>Kafka:RetryTopics:&lt;groupId&gt;</c> section
/// get them without a call here. Callbacks run after the attribute and configuration, in the order added.
/// </summary>
public sealed class RetryTopicsBuilder
{
    internal RetryTopicsBuilder(RetryTopicsRegistration registration) => Registration = registration;

    internal RetryTopicsRegistration Registration { get; }

    /// <summary>Every handler of <paramref name="groupId"/> gets retry topics, configured by <paramref name="configure"/>.</summary>
    public RetryTopicsBuilder ForGroup(string groupId, Action<RetryTopicOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        Registration.Add(groupId, null, configure);
        return this;
    }

    /// <summary><typeparamref name="THandler"/> gets retry topics on each of its topics, configured by <paramref name="configure"/>.</summary>
    public RetryTopicsBuilder ForHandler<THandler>(Action<RetryTopicOptions>? configure = null)
        where THandler : class
    {
        Registration.Add(null, typeof(THandler), configure);
        return this;
    }

    /// <summary>Changes the options of every chain (after the attribute and configuration, before per-group/handler callbacks).</summary>
    public RetryTopicsBuilder ConfigureAll(Action<RetryTopicOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Registration.All.Add(configure);
        return this;
    }

    /// <summary>Longest wait for the cluster's metadata and topic creation at start. Default 30 s.</summary>
    public RetryTopicsBuilder ProvisioningTimeout(TimeSpan timeout)
    {
        Registration.ProvisioningTimeout = timeout;
        return this;
    }

    /// <summary>Longest read of the retry topics to rebuild a partition's parked keys (key-ordered mode). Default 60 s.</summary>
    public RetryTopicsBuilder RebuildTimeout(TimeSpan timeout)
    {
        Registration.RebuildTimeout = timeout;
        return this;
    }
}

/// <summary>What Program.cs asked for; read at start.</summary>
internal sealed class RetryTopicsRegistration
{
    public List<(string? GroupId, Type? HandlerType, Action<RetryTopicOptions>? Configure)> Entries { get; } = [];

    public List<Action<RetryTopicOptions>> All { get; } = [];

    public TimeSpan ProvisioningTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest read of the retry topics to rebuild a partition's parked keys. Default 60 s.</summary>
    public TimeSpan RebuildTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public void Add(string? groupId, Type? handlerType, Action<RetryTopicOptions>? configure) => Entries.Add((groupId, handlerType, configure));

    /// <summary>True when code asks for retry topics for the handler; <paramref name="callbacks"/> gets its callbacks in order.</summary>
    public bool Wants(string groupId, Type handlerType, List<Action<RetryTopicOptions>> callbacks)
    {
        var wanted = false;
        foreach (var (group, handler, configure) in Entries)
        {
            if ((group is not null && string.Equals(group, groupId, StringComparison.Ordinal)) || (handler is not null && handler == handlerType))
            {
                wanted = true;
                if (configure is not null)
                {
                    callbacks.Add(configure);
                }
            }
        }

        return wanted;
    }
}
