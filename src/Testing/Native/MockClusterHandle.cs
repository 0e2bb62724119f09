using Microsoft.Win32.SafeHandles;

namespace KafkaPipeline.Testing.Native;

/// <summary>
/// Owns one librdkafka mock cluster and the <c>rd_kafka_t</c> that hosts it, and releases them in the
/// order librdkafka requires: the cluster first, then its host.
/// </summary>
internal sealed class MockClusterHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private static readonly (string Name, string Value)[] HostSettings =
        [("client.id", "embedded-kafka-cluster"), ("log_level", "4")];

    private readonly LibrdkafkaMockApi api;
    private readonly nint host;

    private MockClusterHandle(LibrdkafkaMockApi api, nint host, nint cluster)
        : base(ownsHandle: true)
    {
        this.api = api;
        this.host = host;
        SetHandle(cluster);
    }

    public static MockClusterHandle Create(LibrdkafkaMockApi api, int brokerCount)
    {
        var conf = api.ConfNew();
        // The host never connects anywhere; level 4 keeps the mock's warnings and errors on stderr but drops
        // the host's own "No bootstrap.servers configured" notice.
        foreach (var (name, value) in HostSettings)
        {
            if (api.ConfSet(conf, name, value) is { } confError)
            {
                api.ConfDestroy(conf);
                throw new InvalidOperationException($"rd_kafka_conf_set({name}={value}) failed: {confError}");
            }
        }

        var host = api.NewProducer(conf, out var error);
        if (host == 0)
        {
            api.ConfDestroy(conf);
            throw new InvalidOperationException($"rd_kafka_new (host for the mock cluster) failed: {error}");
        }

        var cluster = api.ClusterNew(host, brokerCount);
        if (cluster == 0)
        {
            api.Destroy(host);
            throw new InvalidOperationException(
                $"rd_kafka_mock_cluster_new(brokers {brokerCount}) failed: librdkafka could not open the "
                + "loopback listeners (see its log on stderr).");
        }

        return new MockClusterHandle(api, host, cluster);
    }

    /// <summary>Calls <paramref name="call"/> with the cluster pointer, keeping it alive until the call returns.</summary>
    public T Use<T>(Func<nint, T> call)
    {
        var added = false;
        try
        {
            DangerousAddRef(ref added);
            return call(handle);
        }
        finally
        {
            if (added)
            {
                DangerousRelease();
            }
        }
    }

    protected override bool ReleaseHandle()
    {
        api.ClusterDestroy(handle);
        api.Destroy(host);
        return true;
    }
}
