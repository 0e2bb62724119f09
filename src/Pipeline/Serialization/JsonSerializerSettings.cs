using System.Text.Json;

namespace KafkaPipeline.Serialization;

/// <summary>The System.Text.Json options used for handler message types without another deserializer.</summary>
public sealed class JsonSerializerSettings
{
    public JsonSerializerOptions Options { get; set; } = new(JsonSerializerDefaults.Web);
}
