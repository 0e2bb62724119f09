using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace KafkaPipeline.Deduplication.PostgreSql.DependencyInjection;

/// <summary>Validates <see cref="PostgreSqlDeduplicationOptions"/> at start, including where the connection comes from.</summary>
internal sealed class PostgreSqlDeduplicationOptionsValidator(IServiceProviderIsService services) : IValidateOptions<PostgreSqlDeduplicationOptions>
{
    public ValidateOptionsResult Validate(string? name, PostgreSqlDeduplicationOptions options)
    {
        var errors = new List<string>(options.Validate());
        if (options.ConnectionString is null && !services.IsService(typeof(NpgsqlDataSource)))
        {
            errors.Add("The PostgreSQL deduplication store has no connection: set PostgreSqlDeduplicationOptions.ConnectionString or register an NpgsqlDataSource in DI.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
