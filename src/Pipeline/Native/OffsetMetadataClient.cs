using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;

namespace KafkaPipeline.Native;

/// <summary>
/// Stores, commits and reads committed offsets <b>with their metadata</b>, which librdkafka supports
/// (<c>rd_kafka_offsets_store</c>, <c>rd_kafka_commit</c>, <c>rd_kafka_committed</c>) but Confluent.Kafka does not expose
/// (confluent-kafka-dotnet#2112). It calls those functions of the librdkafka that Confluent.Kafka loaded, on the consumer's
/// own handle. <see cref="TryCreate"/> returns null for a consumer that is not a Confluent.Kafka client (a test double) or
/// when the functions cannot be found; callers then go without metadata.
/// </summary>
internal sealed class OffsetMetadataClient
{
    private static readonly Lazy<Functions?> Native = new(Functions.Load);
    private readonly SafeHandle _handle;
    private readonly Functions _native;

    private OffsetMetadataClient(SafeHandle handle, Functions native)
    {
        _handle = handle;
        _native = native;
    }

    /// <summary>The metadata client of <paramref name="consumer"/>, or null (see the class remarks).</summary>
    public static OffsetMetadataClient? TryCreate(IClient consumer)
    {
        if (Native.Value is not { } native)
        {
            return null;
        }

        try
        {
            var handle = consumer.Handle;
            var property = typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
            return property?.GetValue(handle) is SafeHandle { IsInvalid: false } safe ? new OffsetMetadataClient(safe, native) : null;
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or TargetInvocationException or NotImplementedException)
        {
            return null; // not a Confluent.Kafka client
        }
    }

    /// <summary>Stores offsets (committed by librdkafka's auto-commit); the per-partition errors, in the order given.</summary>
    public ErrorCode[] Store(IReadOnlyList<(TopicPartition Partition, long Offset, string? Metadata)> offsets) =>
        Call(offsets, (rk, list) => _native.OffsetsStore(rk, list), Errors, out _);

    /// <summary>Commits offsets synchronously; the per-partition errors, and the call's own error in <paramref name="error"/>.</summary>
    public ErrorCode[] Commit(IReadOnlyList<(TopicPartition Partition, long Offset, string? Metadata)> offsets, out ErrorCode error) =>
        Call(offsets, (rk, list) => _native.Commit(rk, list, 0), Errors, out error);

    /// <summary>The group's committed offset and metadata of each partition (offset -1001 when none), waiting at most <paramref name="timeout"/>.</summary>
    public (long Offset, string? Metadata)[] Committed(IReadOnlyList<TopicPartition> partitions, TimeSpan timeout, out ErrorCode error) =>
        Call(
            [.. partitions.Select(p => (p, Offset.Unset.Value, (string?)null))],
            (rk, list) => _native.Committed(rk, list, (int)Math.Min(int.MaxValue, timeout.TotalMilliseconds)),
            (list, count) => Enumerable.Range(0, count).Select(i => Element(list, i)).Select(e => (e.Offset,
                e.Metadata == IntPtr.Zero || e.MetadataSize == 0 ? null : Marshal.PtrToStringUTF8(e.Metadata, (int)Math.Min(int.MaxValue, (long)e.MetadataSize)))).ToArray(),
            out error);

    private static ErrorCode[] Errors(IntPtr list, int count) => [.. Enumerable.Range(0, count).Select(i => (ErrorCode)Element(list, i).Error)];

    /// <summary>Runs <paramref name="call"/> on a native list of <paramref name="offsets"/> and reads the results back from it before it is freed.</summary>
    private T Call<T>(
        IReadOnlyList<(TopicPartition Partition, long Offset, string? Metadata)> offsets, Func<IntPtr, IntPtr, int> call, Func<IntPtr, int, T> read, out ErrorCode error)
    {
        var list = NewList(offsets, out var buffers);
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            error = (ErrorCode)call(_handle.DangerousGetHandle(), list);
            return read(list, offsets.Count);
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }

            Destroy(list, buffers);
        }
    }

    /// <summary>A native partition list; the metadata buffers are ours (freed by <see cref="Destroy"/>, not by librdkafka).</summary>
    private IntPtr NewList(IReadOnlyList<(TopicPartition Partition, long Offset, string? Metadata)> offsets, out List<IntPtr> buffers)
    {
        buffers = [];
        var list = _native.ListNew(Math.Max(1, offsets.Count));
        foreach (var (partition, offset, metadata) in offsets)
        {
            var topic = Marshal.StringToCoTaskMemUTF8(partition.Topic);
            IntPtr element;
            try
            {
                element = _native.ListAdd(list, topic, partition.Partition.Value);
            }
            finally
            {
                Marshal.FreeCoTaskMem(topic); // librdkafka copies the topic name
            }

            var value = Marshal.PtrToStructure<PartitionElement>(element);
            value.Offset = offset;
            if (metadata is not null)
            {
                var bytes = Encoding.UTF8.GetBytes(metadata);
                var buffer = Marshal.AllocHGlobal(Math.Max(1, bytes.Length));
                Marshal.Copy(bytes, 0, buffer, bytes.Length);
                buffers.Add(buffer);
                value.Metadata = buffer;
                value.MetadataSize = (nuint)bytes.Length;
            }

            Marshal.StructureToPtr(value, element, fDeleteOld: false);
        }

        return list;
    }

    private void Destroy(IntPtr list, List<IntPtr> buffers)
    {
        // Our buffers are detached first: librdkafka would free them with its own allocator.
        var count = Marshal.ReadInt32(list);
        for (var i = 0; i < count; i++)
        {
            var address = ElementAddress(list, i);
            var value = Marshal.PtrToStructure<PartitionElement>(address);
            if (value.Metadata != IntPtr.Zero && buffers.Contains(value.Metadata))
            {
                value.Metadata = IntPtr.Zero;
                value.MetadataSize = 0;
                Marshal.StructureToPtr(value, address, fDeleteOld: false);
            }
        }

        _native.ListDestroy(list);
        buffers.ForEach(Marshal.FreeHGlobal);
    }

    private static PartitionElement Element(IntPtr list, int index) => Marshal.PtrToStructure<PartitionElement>(ElementAddress(list, index));

    private static IntPtr ElementAddress(IntPtr list, int index) =>
        Marshal.ReadIntPtr(list, Marshal.OffsetOf<PartitionList>(nameof(PartitionList.Elements)).ToInt32()) + (index * Marshal.SizeOf<PartitionElement>());

    /// <summary><c>rd_kafka_topic_partition_t</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct PartitionElement
    {
        public IntPtr Topic;
        public int Partition;
        public long Offset;
        public IntPtr Metadata;
        public nuint MetadataSize;
        public IntPtr Opaque;
        public int Error;
        public IntPtr Private;
    }

    /// <summary><c>rd_kafka_topic_partition_list_t</c>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct PartitionList
    {
        public int Count;
        public int Size;
        public IntPtr Elements;
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr ListNewFn(int size);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate IntPtr ListAddFn(IntPtr list, IntPtr topic, int partition);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void ListDestroyFn(IntPtr list);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int OffsetsStoreFn(IntPtr rk, IntPtr list);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int CommitFn(IntPtr rk, IntPtr list, int async);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int CommittedFn(IntPtr rk, IntPtr list, int timeoutMs);

    private sealed record Functions(
        ListNewFn ListNew, ListAddFn ListAdd, ListDestroyFn ListDestroy, OffsetsStoreFn OffsetsStore, CommitFn Commit, CommittedFn Committed)
    {
        public static Functions? Load()
        {
            try
            {
                KafkaNativeLibrary.EnsureLoaded();
                if (KafkaNativeLibrary.LoadedPath is not { } path || !NativeLibrary.TryLoad(path, out var library))
                {
                    return null;
                }

                T Get<T>(string name) where T : Delegate => Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(library, name));
                return new Functions(
                    Get<ListNewFn>("rd_kafka_topic_partition_list_new"),
                    Get<ListAddFn>("rd_kafka_topic_partition_list_add"),
                    Get<ListDestroyFn>("rd_kafka_topic_partition_list_destroy"),
                    Get<OffsetsStoreFn>("rd_kafka_offsets_store"),
                    Get<CommitFn>("rd_kafka_commit"),
                    Get<CommittedFn>("rd_kafka_committed"));
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
            {
                return null;
            }
        }
    }
}
