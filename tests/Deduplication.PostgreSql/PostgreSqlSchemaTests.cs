using KafkaPipeline.Deduplication.PostgreSql.Tests.Support;

namespace KafkaPipeline.Deduplication.PostgreSql.Tests;

public sealed class PostgreSqlSchemaTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private readonly string _schema = "dedup_schema_" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task TryReserve_TableMissing_CreatedOnDemandWithColumnsAndIndex()
    {
        Assert.Null(await TestDatabase.ScalarAsync<string>($"SELECT to_regclass('{_db.Table}')::text"));

        await _db.Store().TryReserveAsync("g|m1", TimeSpan.FromMinutes(1), default);

        var columns = await TestDatabase.ScalarAsync<string>(
            "SELECT string_agg(column_name || ':' || data_type, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = @t",
            ("t", _db.Table));
        Assert.Equal("key:text,state:text,token:uuid,expires_at:timestamp with time zone", columns);
        Assert.NotNull(await TestDatabase.ScalarAsync<string>($"SELECT to_regclass('{_db.Table}_expires_at_idx')::text"));
    }

    [Fact]
    public async Task TryReserve_TableMissingAndCreationOff_ErrorSaysHowToCreateIt()
    {
        var store = _db.Store(o => o.CreateTableIfMissing = false);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.TryReserveAsync("g|m1", TimeSpan.FromMinutes(1), default).AsTask());

        Assert.Contains(_db.Table, error.Message);
        Assert.Contains("kafka_pipeline_dedup.sql", error.Message);
        Assert.Contains("CreateTableIfMissing", error.Message);
        Assert.Null(await TestDatabase.ScalarAsync<string>($"SELECT to_regclass('{_db.Table}')::text"));
    }

    [Fact]
    public void CreateScript_Defaults_EqualsShippedScript()
    {
        var shipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "sql", "kafka_pipeline_dedup.sql"));

        Assert.Equal(shipped, PostgreSqlDeduplicationSchema.CreateScript());
    }

    [Fact]
    public async Task ShippedScript_RunInOwnSchema_StoreWorksWithCreationOffAndRerunIsHarmless()
    {
        var shipped = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "sql", "kafka_pipeline_dedup.sql"));
        await TestDatabase.ExecuteAsync($"CREATE SCHEMA {_schema}; SET search_path TO {_schema}; {shipped} {shipped} RESET search_path;");
        var store = new PostgreSqlDeduplicationStore(
            TestDatabase.DataSource, new PostgreSqlDeduplicationOptions { SchemaName = _schema, CreateTableIfMissing = false }, _db.Time);

        Assert.Equal(ReservationStatus.Reserved, await store.TryReserveAsync("g|m1", TimeSpan.FromMinutes(1), default));
        Assert.Equal($"{_schema}.kafka_pipeline_dedup", store.TableName);
        Assert.Equal(1L, await TestDatabase.ScalarAsync<long>($"SELECT count(*) FROM {_schema}.kafka_pipeline_dedup"));
    }

    [Fact]
    public void CreateScript_CustomSchema_CreatesSchemaAndQualifiesNames()
    {
        var script = PostgreSqlDeduplicationSchema.CreateScript("billing", "payments_inbox");

        Assert.Contains("CREATE SCHEMA IF NOT EXISTS billing;", script);
        Assert.Contains("CREATE TABLE IF NOT EXISTS billing.payments_inbox (", script);
        Assert.Contains("CREATE INDEX IF NOT EXISTS payments_inbox_expires_at_idx ON billing.payments_inbox (expires_at);", script);
    }

    [Fact]
    public void Options_InvalidNames_EveryBrokenRuleListed()
    {
        var options = new PostgreSqlDeduplicationOptions { SchemaName = "Bad-Schema", TableName = "x; DROP TABLE y", CleanupBatchSize = 0 };

        var errors = options.Validate();

        Assert.Equal(3, errors.Count);
        Assert.Throws<ArgumentException>(() => new PostgreSqlDeduplicationStore(TestDatabase.DataSource, options));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await TestDatabase.ExecuteAsync($"DROP SCHEMA IF EXISTS {_schema} CASCADE");
        await _db.DisposeAsync();
    }
}
