using Npgsql;

namespace KafkaPipeline.Deduplication.PostgreSql.Tests;

public sealed class PostgreSqlDeduplicationDataSourceTests
{
    [Fact]
    public void WithAutoPrepare_NotSet_TurnsOnAutomaticPreparation()
    {
        var connectionString = PostgreSqlDeduplicationDataSource.WithAutoPrepare("Host=127.0.0.1;Username=u;Password=p;Database=d");

        Assert.Equal(16, new NpgsqlConnectionStringBuilder(connectionString).MaxAutoPrepare);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Max Auto Prepare=0", 0)]
    [InlineData("Host=127.0.0.1;MaxAutoPrepare=50", 50)]
    public void WithAutoPrepare_SetByUser_KeptAsGiven(string given, int expected)
    {
        var connectionString = PostgreSqlDeduplicationDataSource.WithAutoPrepare(given);

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(connectionString).MaxAutoPrepare);
    }
}
