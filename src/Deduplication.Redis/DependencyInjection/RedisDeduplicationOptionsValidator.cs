using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace KafkaPipeline.Deduplication.Redis.DependencyInjection;

/// <summary>Validates <see cref="RedisDeduplicationOptions"/> at start, including where the connection comes from.</summary>
internal sealed class RedisDeduplicationOptionsValidator(IServiceProviderIsService services) : IValidateOptions<RedisDeduplicationOptions>
{
    public ValidateOptionsResult Validate(string? name, RedisDeduplicationOptions options)
    {
        var errors = new List<string>(options.Validate());
        if (options.ConnectionString is null && !services.IsService(typeof(IConnectionMultiplexer)))
        {
            errors.Add("The Redis deduplication store has no connection: set RedisDeduplicationOptions.ConnectionString (e.g. \"127.0.0.1:6379\") or register an IConnectionMultiplexer in DI.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
