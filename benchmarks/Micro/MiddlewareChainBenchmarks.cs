using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Confluent.Kafka;
using KafkaPipeline.Benchmarks.Throughput;
using KafkaPipeline.Consuming;
using KafkaPipeline.Deduplication;
using KafkaPipeline.Errors;
using KafkaPipeline.Serialization;
using Microsoft.Extensions.DependencyInjection;

namespace KafkaPipeline.Benchmarks;

/// <summary>
/// Per-record cost of the middleware chain, excluding the Kafka client. "Chain" benchmarks run the error
/// handler + composed pipeline on one pre-built context that is reset between records (the handler is
/// resolved from a DI scope that lives across records); "PerRecord" benchmarks add what the poll loop
/// allocates for every record (DI scope, ConsumeContext).
/// </summary>
[MemoryDiagnoser]
public class MiddlewareChainBenchmarks
{
    private ChainSetup _bytes = null!;
    private ChainSetup _json = null!;
    private ConsumeDelegate _builtIn = null!;
    private ConsumeDelegate _withCustom = null!;
    private ConsumeDelegate _withDedup = null!;
    private ConsumeDelegate _jsonDefault = null!;
    private IServiceScope _scope = null!;
    private ConsumeResult<byte[]?, byte[]?> _record = null!;
    private ConsumeResult<byte[]?, byte[]?> _jsonRecord = null!;
    private ConsumeContext _context = null!;
    private IMessageDeserializer _jsonDeserializer = null!;
    private IMessageDeserializer _jsonSourceGenerated = null!;
    private LaneScheduler _scheduler = null!;
    private PartitionWork _work = null!;
    private readonly List<Lane> _toStart = [];
    private Lane? _started;
    private long _laneOffset;
    private InMemoryDeduplicationStore _store = null!;
    private string[] _keys = null!;
    private byte[][] _ids = null!;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);
    private long _offset;
    private readonly RecordFailureState _failure = new();

    [GlobalSetup]
    public void Setup()
    {
        var value = BenchOrder.Json(42, 7, 200);
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        web.MakeReadOnly(populateMissingResolver: true);
        _jsonDeserializer = new JsonMessageDeserializer(web.GetTypeInfo(typeof(BenchOrder)));
        _jsonSourceGenerated = new JsonMessageDeserializer(BenchJsonContext.Default.BenchOrder);

        _bytes = new ChainSetup(typeof(NoopBytesHandler), typeof(byte[]), ByteArrayMessageDeserializer.Instance);
        _builtIn = _bytes.Build(p => p.WithoutDeduplication());
        _withCustom = _bytes.Build(p =>
        {
            p.WithoutDeduplication();
            for (var i = 0; i < 5; i++)
            {
                p.UseMiddleware(new NoopMiddleware());
            }
        });
        _withDedup = _bytes.Build(p => p.UseDeduplication());

        _json = new ChainSetup(typeof(NoopOrderHandler), typeof(BenchOrder), _jsonDeserializer);
        _jsonDefault = _json.Build(p => p.WithoutDeduplication()); // the default pipeline: no store, no dedup step

        _record = ChainSetup.Record(value);
        _jsonRecord = ChainSetup.Record(value);
        _scope = _bytes.Scopes.CreateScope();
        _context = new ConsumeContext(_record, _scope.ServiceProvider) { GroupId = ChainSetup.GroupId };
        _scheduler = new LaneScheduler(Options.OrderingMode.Partition, 16, lane => _started = lane);
        _work = _scheduler.Assign(_record.TopicPartition);
        _store = new InMemoryDeduplicationStore(Microsoft.Extensions.Options.Options.Create(new DeduplicationOptions()));
        _keys = [.. Enumerable.Range(0, 1 << 20).Select(i => $"{ChainSetup.GroupId}|{ChainSetup.Topic}|3|{i}")];
        _ids = [.. Enumerable.Range(0, 1 << 20).Select(i => System.Text.Encoding.UTF8.GetBytes($"m-{i}"))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _scope.Dispose();
        _bytes.Services.Dispose();
        _json.Services.Dispose();
    }

    /// <summary>(i) Built-in steps (deserialize byte[] → handler) behind the fallback error handler; no dedup.</summary>
    [Benchmark(Baseline = true)]
    public ErrorDisposition Chain_BuiltIn() => Run(_builtIn);

    /// <summary>(ii) As (i) plus five custom no-op middleware.</summary>
    [Benchmark]
    public ErrorDisposition Chain_BuiltIn_Plus5Custom() => Run(_withCustom);

    /// <summary>(iii) As (i) plus the in-memory dedup step; every record has a new message id (a header).</summary>
    [Benchmark]
    public ErrorDisposition Chain_BuiltIn_InMemoryDedup()
    {
        _record.Offset = ++_offset;
        _record.Message.Headers.Remove("message-id");
        _record.Message.Headers.Add("message-id", _ids[(int)(_offset & (_ids.Length - 1))]);
        var disposition = Run(_withDedup);
        _record.Message.Headers.Remove("message-id");
        return disposition;
    }

    /// <summary>(iii-b) The in-memory store alone: reserve + complete of a new key (keys pre-built; 1M keys cycle through the 100k-entry store).</summary>
    [Benchmark]
    public ValueTask InMemoryStore_ReserveComplete()
    {
        var key = _keys[(int)(++_offset & (_keys.Length - 1))];
        _ = _store.TryReserveAsync(key, Lease, CancellationToken.None).Result;
        return _store.CompleteAsync(key, Retention, CancellationToken.None);
    }

    /// <summary>(iv) Reference: System.Text.Json deserialization of the 200-byte record (reflection metadata, web defaults).</summary>
    [Benchmark]
    public object? Json_Deserialize200B() => _jsonDeserializer.Deserialize(_record.Message.Value, _context);

    /// <summary>(iv-b) The same with System.Text.Json source-generated metadata (a user option: JsonSerializerSettings.Options.TypeInfoResolver).</summary>
    [Benchmark]
    public object? Json_Deserialize200B_SourceGenerated() => _jsonSourceGenerated.Deserialize(_record.Message.Value, _context);

    /// <summary>Outside the chain: the ConsumeContext the poll loop creates per record.</summary>
    [Benchmark]
    public ConsumeContext PerRecord_NewContext() => new(_record, _scope.ServiceProvider, CancellationToken.None) { GroupId = ChainSetup.GroupId, DeliveryAttempt = 1 };

    /// <summary>Outside the chain: the per-record DI scope, the handler resolved from it, and its disposal.</summary>
    [Benchmark]
    public object PerRecord_DiScope()
    {
        var scope = _bytes.Scopes.CreateAsyncScope();
        var handler = scope.ServiceProvider.GetRequiredService(typeof(NoopBytesHandler));
        Sync.Wait(scope.DisposeAsync());
        return handler;
    }

    /// <summary>
    /// Outside the chain: the core's per-record bookkeeping on both sides of a lane: accept the offset, dispatch to the
    /// partition's lane (which starts it), finish it on the lane, hand the report to the poll thread, move the watermark.
    /// </summary>
    [Benchmark]
    public long PerRecord_LaneBookkeeping()
    {
        _record.Offset = ++_laneOffset;
        _work.Offsets.TryAccept(_laneOffset);
        _scheduler.Dispatch(_work, _record, _toStart);
        _scheduler.Start(_toStart);
        _scheduler.Finish(_started!);
        foreach (var report in _scheduler.TakeReports())
        {
            report.Work.Offsets.MarkDone(report.Offset);
        }

        return _work.Offsets.Position;
    }

    /// <summary>Everything the loop does per record except the Kafka client: scope + context + chain (i).</summary>
    [Benchmark]
    public ErrorDisposition PerRecord_All_Bytes_NoDedup() => PerRecord(_bytes, _record, _builtIn);

    /// <summary>As above with the default pipeline of the throughput benchmark: JSON + no-op handler (no dedup by default).</summary>
    [Benchmark]
    public ErrorDisposition PerRecord_All_Json()
    {
        _jsonRecord.Offset = ++_offset;
        return PerRecord(_json, _jsonRecord, _jsonDefault);
    }

    private ErrorDisposition Run(ConsumeDelegate pipeline)
    {
        _context.Handler = null;
        _context.Message = null;
        _context.IsDeserialized = false;
        _context.IsDuplicate = false;
        return Sync.Wait(_bytes.ErrorHandler.HandleAsync(_context, pipeline, _failure));
    }

    private static ErrorDisposition PerRecord(ChainSetup setup, ConsumeResult<byte[]?, byte[]?> record, ConsumeDelegate pipeline)
    {
        var scope = setup.Scopes.CreateAsyncScope();
        try
        {
            var context = new ConsumeContext(record, scope.ServiceProvider, CancellationToken.None) { GroupId = ChainSetup.GroupId, DeliveryAttempt = 1 };
            return Sync.Wait(setup.ErrorHandler.HandleAsync(context, pipeline, new RecordFailureState()));
        }
        finally
        {
            Sync.Wait(scope.DisposeAsync());
        }
    }
}

/// <summary>A handler of the JSON record that does nothing.</summary>
public sealed class NoopOrderHandler : IMessageHandler<BenchOrder>
{
    public ValueTask HandleAsync(BenchOrder message, ConsumeContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
