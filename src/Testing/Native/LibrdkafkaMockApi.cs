using System.Runtime.InteropServices;
using System.Text;
using KafkaPipeline.Native;

namespace KafkaPipeline.Testing.Native;

/// <summary>
/// The librdkafka C functions behind <see cref="EmbeddedKafkaCluster"/>, bound as function pointers from
/// the very librdkafka file Confluent.Kafka loaded (<see cref="KafkaNativeLibrary.LoadedPath"/>), so the
/// mock cluster and the clients share one copy of the library. Signatures follow librdkafka's
/// <c>rdkafka.h</c> and <c>rdkafka_mock.h</c>; <c>rd_kafka_resp_err_t</c> is a C enum (an <c>int</c>).
/// The variadic <c>rd_kafka_mock_push_request_errors</c> is not bound: .NET cannot call C varargs
/// portably, and <c>rd_kafka_mock_push_request_errors_array</c> does the same.
/// </summary>
internal sealed unsafe class LibrdkafkaMockApi
{
    private const int ErrorBufferSize = 512;
    private static readonly Lazy<LibrdkafkaMockApi> Shared = new(Load);

    private readonly delegate* unmanaged[Cdecl]<nint> confNew;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, nuint, int> confSet;
    private readonly delegate* unmanaged[Cdecl]<nint, void> confDestroy;
    private readonly delegate* unmanaged[Cdecl]<int, nint, byte*, nuint, nint> kafkaNew;
    private readonly delegate* unmanaged[Cdecl]<nint, void> kafkaDestroy;
    private readonly delegate* unmanaged[Cdecl]<int, byte*> errorToName;
    private readonly delegate* unmanaged[Cdecl]<nint, int, nint> clusterNew;
    private readonly delegate* unmanaged[Cdecl]<nint, void> clusterDestroy;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*> clusterBootstraps;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, int, int, int> topicCreate;
    private readonly delegate* unmanaged[Cdecl]<nint, int, int> brokerSetDown;
    private readonly delegate* unmanaged[Cdecl]<nint, int, int> brokerSetUp;
    private readonly delegate* unmanaged[Cdecl]<nint, int, int, int> brokerSetRtt;
    private readonly delegate* unmanaged[Cdecl]<nint, byte*, int, int, int> partitionSetLeader;
    private readonly delegate* unmanaged[Cdecl]<nint, short, nuint, int*, void> pushRequestErrorsArray;
    private readonly delegate* unmanaged[Cdecl]<nint, int, void> groupInitialRebalanceDelayMs;

    private LibrdkafkaMockApi(string path, nint library)
    {
        nint Bind(string name) => NativeLibrary.TryGetExport(library, name, out var address)
            ? address
            : throw new EntryPointNotFoundException(
                $"The librdkafka at '{path}' does not export '{name}'. EmbeddedKafkaCluster needs a librdkafka "
                + "with the mock cluster API (librdkafka.redist 2.x, as shipped with Confluent.Kafka).");

        confNew = (delegate* unmanaged[Cdecl]<nint>)Bind("rd_kafka_conf_new");
        confSet = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, byte*, nuint, int>)Bind("rd_kafka_conf_set");
        confDestroy = (delegate* unmanaged[Cdecl]<nint, void>)Bind("rd_kafka_conf_destroy");
        kafkaNew = (delegate* unmanaged[Cdecl]<int, nint, byte*, nuint, nint>)Bind("rd_kafka_new");
        kafkaDestroy = (delegate* unmanaged[Cdecl]<nint, void>)Bind("rd_kafka_destroy");
        errorToName = (delegate* unmanaged[Cdecl]<int, byte*>)Bind("rd_kafka_err2name");
        clusterNew = (delegate* unmanaged[Cdecl]<nint, int, nint>)Bind("rd_kafka_mock_cluster_new");
        clusterDestroy = (delegate* unmanaged[Cdecl]<nint, void>)Bind("rd_kafka_mock_cluster_destroy");
        clusterBootstraps = (delegate* unmanaged[Cdecl]<nint, byte*>)Bind("rd_kafka_mock_cluster_bootstraps");
        topicCreate = (delegate* unmanaged[Cdecl]<nint, byte*, int, int, int>)Bind("rd_kafka_mock_topic_create");
        brokerSetDown = (delegate* unmanaged[Cdecl]<nint, int, int>)Bind("rd_kafka_mock_broker_set_down");
        brokerSetUp = (delegate* unmanaged[Cdecl]<nint, int, int>)Bind("rd_kafka_mock_broker_set_up");
        brokerSetRtt = (delegate* unmanaged[Cdecl]<nint, int, int, int>)Bind("rd_kafka_mock_broker_set_rtt");
        partitionSetLeader = (delegate* unmanaged[Cdecl]<nint, byte*, int, int, int>)Bind("rd_kafka_mock_partition_set_leader");
        pushRequestErrorsArray = (delegate* unmanaged[Cdecl]<nint, short, nuint, int*, void>)Bind("rd_kafka_mock_push_request_errors_array");
        groupInitialRebalanceDelayMs = (delegate* unmanaged[Cdecl]<nint, int, void>)Bind("rd_kafka_mock_group_initial_rebalance_delay_ms");
    }

    /// <summary>The bound functions; the first use loads librdkafka through <see cref="KafkaNativeLibrary"/>.</summary>
    public static LibrdkafkaMockApi Instance => Shared.Value;

    public nint ConfNew() => confNew();

    /// <returns><see langword="null"/> on success, else librdkafka's error text.</returns>
    public string? ConfSet(nint conf, string name, string value)
    {
        var error = stackalloc byte[ErrorBufferSize];
        fixed (byte* n = Utf8(name), v = Utf8(value))
        {
            return confSet(conf, n, v, error, ErrorBufferSize) == 0 ? null : Marshal.PtrToStringUTF8((nint)error);
        }
    }

    public void ConfDestroy(nint conf) => confDestroy(conf);

    /// <summary>Creates a producer handle (type 0); it takes ownership of <paramref name="conf"/> only on success.</summary>
    public nint NewProducer(nint conf, out string error)
    {
        var buffer = stackalloc byte[ErrorBufferSize];
        var handle = kafkaNew(0, conf, buffer, ErrorBufferSize);
        error = handle == 0 ? Marshal.PtrToStringUTF8((nint)buffer) ?? "" : "";
        return handle;
    }

    public void Destroy(nint kafka) => kafkaDestroy(kafka);

    public string ErrorName(int error) => Marshal.PtrToStringUTF8((nint)errorToName(error)) ?? $"error {error}";

    public nint ClusterNew(nint kafka, int brokers) => clusterNew(kafka, brokers);

    public void ClusterDestroy(nint cluster) => clusterDestroy(cluster);

    public string ClusterBootstraps(nint cluster) => Marshal.PtrToStringUTF8((nint)clusterBootstraps(cluster)) ?? "";

    public int TopicCreate(nint cluster, string topic, int partitions, int replicationFactor)
    {
        fixed (byte* t = Utf8(topic))
        {
            return topicCreate(cluster, t, partitions, replicationFactor);
        }
    }

    public int BrokerSetDown(nint cluster, int brokerId) => brokerSetDown(cluster, brokerId);

    public int BrokerSetUp(nint cluster, int brokerId) => brokerSetUp(cluster, brokerId);

    public int BrokerSetRtt(nint cluster, int brokerId, int rttMs) => brokerSetRtt(cluster, brokerId, rttMs);

    public int PartitionSetLeader(nint cluster, string topic, int partition, int brokerId)
    {
        fixed (byte* t = Utf8(topic))
        {
            return partitionSetLeader(cluster, t, partition, brokerId);
        }
    }

    public void PushRequestErrors(nint cluster, short apiKey, ReadOnlySpan<int> errors)
    {
        fixed (int* e = errors)
        {
            pushRequestErrorsArray(cluster, apiKey, (nuint)errors.Length, e);
        }
    }

    public void GroupInitialRebalanceDelay(nint cluster, int delayMs) => groupInitialRebalanceDelayMs(cluster, delayMs);

    private static LibrdkafkaMockApi Load()
    {
        KafkaNativeLibrary.EnsureLoaded();
        var path = KafkaNativeLibrary.LoadedPath ?? throw new InvalidOperationException(
            "Confluent.Kafka loaded librdkafka, but the file it loaded could not be identified, so "
            + "EmbeddedKafkaCluster cannot bind the mock cluster functions of the same library.");
        return new LibrdkafkaMockApi(path, NativeLibrary.Load(path));
    }

    private static byte[] Utf8(string value) => Encoding.UTF8.GetBytes(value + '\0');
}
