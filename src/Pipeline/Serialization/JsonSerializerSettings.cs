using System.Text.Json;

namespace KafkaPipeline.Serialization;

/// <summary>The System.Text.Json options used for handler message types without another deserializer.</summary>
public sealed class JsonSerializerSettings
{
    /// <summary>The System.Text.Json options of the built-in JSON deserializer (web defaults).</summary>
    public JsonSerializerOptions Options { get; set; } = new(JsonSerializerDefaults.Web);
}
