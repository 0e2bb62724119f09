using Confluent.Kafka;
using KafkaPipeline.Testing.Native;

namespace KafkaPipeline.Testing;

/// <summary>
/// librdkafka's mock Kafka cluster: real brokers speaking the Kafka protocol on loopback TCP ports, with
/// fault injection, in this process. Point any Confluent.Kafka client at <see cref="BootstrapServers"/>.
/// Broker ids are 1..<see cref="BrokerCount"/>. Many clusters may run at once; dispose each one.
/// </summary>
/// <remarks>
/// The mock keeps a bounded log per partition (older message sets are pruned) and does not support the
/// admin CreateTopics request: create topics with <see cref="CreateTopic"/>. Members are thread-safe.
/// </remarks>
public sealed class EmbeddedKafkaCluster : IDisposable
{
    private const int TopicNameMaxLength = 249;
    private readonly LibrdkafkaMockApi api;
    private readonly MockClusterHandle cluster;

    private EmbeddedKafkaCluster(LibrdkafkaMockApi api, MockClusterHandle cluster, int brokerCount)
    {
        this.api = api;
        this.cluster = cluster;
        BrokerCount = brokerCount;
        BootstrapServers = cluster.Use(api.ClusterBootstraps);
    }

    /// <summary>Comma-separated <c>host:port</c> list of the brokers, for <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>Number of brokers; their ids are 1..<see cref="BrokerCount"/>.</summary>
    public int BrokerCount { get; }

    /// <summary>Starts a cluster of <paramref name="brokers"/> brokers with an initial rebalance delay of zero.</summary>
    public static EmbeddedKafkaCluster Start(int brokers = 1) =>
        Start(new EmbeddedKafkaClusterOptions { BrokerCount = brokers });

    /// <summary>Starts a cluster as <paramref name="options"/> say.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every broken rule.</exception>
    public static EmbeddedKafkaCluster Start(EmbeddedKafkaClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var api = LibrdkafkaMockApi.Instance;
        var handle = MockClusterHandle.Create(api, options.BrokerCount);
        try
        {
            var started = new EmbeddedKafkaCluster(api, handle, options.BrokerCount);
            started.SetGroupInitialRebalanceDelay(options.InitialRebalanceDelay);
            return started;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Creates a topic. The mock cannot place more replicas than there are brokers.</summary>
    /// <exception cref="InvalidOperationException">The topic exists already, or the mock refused it.</exception>
    public void CreateTopic(string name, int partitions = 1, int replicationFactor = 1)
    {
        ValidateTopic(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        if (replicationFactor > BrokerCount)
        {
            throw new ArgumentOutOfRangeException(nameof(replicationFactor), replicationFactor,
                $"Topic '{name}' cannot have {replicationFactor} replicas on a cluster of {BrokerCount} broker(s); "
                + "start the cluster with more brokers or lower the replication factor.");
        }

        Check(Call(c => api.TopicCreate(c, name, partitions, replicationFactor)),
            $"rd_kafka_mock_topic_create(topic '{name}', partitions {partitions}, replication factor {replicationFactor})");
    }

    /// <summary>Disconnects broker <paramref name="brokerId"/> and refuses new connections. Leadership does not move.</summary>
    public void SetBrokerDown(int brokerId)
    {
        ValidateBroker(brokerId);
        Check(Call(c => api.BrokerSetDown(c, brokerId)), $"rd_kafka_mock_broker_set_down(broker {brokerId})");
    }

    /// <summary>Lets broker <paramref name="brokerId"/> accept connections again.</summary>
    public void SetBrokerUp(int brokerId)
    {
        ValidateBroker(brokerId);
        Check(Call(c => api.BrokerSetUp(c, brokerId)), $"rd_kafka_mock_broker_set_up(broker {brokerId})");
    }

    /// <summary>
    /// Makes <paramref name="brokerId"/> the leader of a partition. An unknown topic is created with
    /// <c>partition + 1</c> partitions; a partition beyond an existing topic's count fails (UNKNOWN_TOPIC_OR_PART).
    /// </summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        ValidateTopic(topic);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        ValidateBroker(brokerId);
        Check(Call(c => api.PartitionSetLeader(c, topic, partition, brokerId)),
            $"rd_kafka_mock_partition_set_leader(topic '{topic}', partition {partition}, broker {brokerId})");
    }

    /// <summary>
    /// Fails the next <c>errors.Length</c> requests of type <paramref name="apiKey"/> (see <see cref="KafkaApiKey"/>),
    /// on any broker, with these errors in order. <see cref="ErrorCode.Local_Transport"/> makes the broker disconnect.
    /// </summary>
    public void PushRequestErrors(short apiKey, params ErrorCode[] errors)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(apiKey);
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Length == 0)
        {
            throw new ArgumentException("Give at least one error to push.", nameof(errors));
        }

        var codes = Array.ConvertAll(errors, error => (int)error);
        Call(c =>
        {
            api.PushRequestErrors(c, apiKey, codes);
            return 0;
        });
    }

    /// <summary>Delays every response of broker <paramref name="brokerId"/> by <paramref name="rtt"/> (zero to stop).</summary>
    public void SetBrokerRtt(int brokerId, TimeSpan rtt)
    {
        ValidateBroker(brokerId);
        var milliseconds = ToMilliseconds(rtt, nameof(rtt));
        Check(Call(c => api.BrokerSetRtt(c, brokerId, milliseconds)),
            $"rd_kafka_mock_broker_set_rtt(broker {brokerId}, rtt {milliseconds} ms)");
    }

    /// <summary>Sets the brokers' <c>group.initial.rebalance.delay.ms</c> for groups formed from now on.</summary>
    public void SetGroupInitialRebalanceDelay(TimeSpan delay)
    {
        var milliseconds = ToMilliseconds(delay, nameof(delay));
        Call(c =>
        {
            api.GroupInitialRebalanceDelay(c, milliseconds);
            return 0;
        });
    }

    /// <summary>Stops the brokers and frees the cluster. Idempotent.</summary>
    public void Dispose() => cluster.Dispose();

    internal static bool IsValidMilliseconds(TimeSpan value) =>
        value >= TimeSpan.Zero && value.TotalMilliseconds <= int.MaxValue;

    private static int ToMilliseconds(TimeSpan value, string parameter) => IsValidMilliseconds(value)
        ? (int)value.TotalMilliseconds
        : throw new ArgumentOutOfRangeException(parameter, value, $"Must be between zero and {int.MaxValue} ms.");

    private static void ValidateTopic(string name, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(name))] string parameter = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name, parameter);
        if (name.Length > TopicNameMaxLength || name is "." or ".." || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-'))
        {
            throw new ArgumentException(
                $"'{name}' is not a legal Kafka topic name: use 1 to {TopicNameMaxLength} of the characters a-z, A-Z, 0-9, '.', '_' and '-' (not '.' or '..' alone).",
                parameter);
        }
    }

    private void ValidateBroker(int brokerId, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(brokerId))] string parameter = "")
    {
        if (brokerId < 1 || brokerId > BrokerCount)
        {
            throw new ArgumentOutOfRangeException(parameter, brokerId, $"Broker ids of this cluster are 1..{BrokerCount}.");
        }
    }

    private int Call(Func<nint, int> call)
    {
        ObjectDisposedException.ThrowIf(cluster.IsClosed, this);
        return cluster.Use(call);
    }

    private void Check(int error, string call)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"{call} failed: {api.ErrorName(error)} ({error}).");
        }
    }
}
