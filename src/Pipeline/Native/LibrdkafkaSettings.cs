using System.Runtime.InteropServices;
using System.Text;

namespace KafkaPipeline.Native;

/// <summary>
/// Checks librdkafka settings (<c>Kafka:Client</c> and friends) at host start with librdkafka's own
/// <c>rd_kafka_conf_set</c>, which knows every property, its type and its allowed values, without creating a client.
/// Conflicts between settings that librdkafka only finds when a client is created are caught when the consumer's client
/// is created, which also happens at start.
/// </summary>
internal static class LibrdkafkaSettings
{
    private const int ErrorBufferSize = 512;
    private static readonly Lazy<Api?> Functions = new(Bind);

    /// <summary>
    /// Adds a message naming <paramref name="path"/>:&lt;key&gt; and the fix for every setting librdkafka refuses.
    /// Does nothing when the librdkafka in use cannot be identified (the client's creation still checks).
    /// </summary>
    public static void Validate(IEnumerable<KeyValuePair<string, string>> settings, string path, ICollection<string> errors)
    {
        if (Functions.Value is not { } api)
        {
            return;
        }

        var conf = api.New();
        try
        {
            var error = new byte[ErrorBufferSize];
            foreach (var (key, value) in settings)
            {
                Array.Clear(error);
                var result = api.Set(conf, key, value, error, (nuint)error.Length);
                if (result != 0)
                {
                    var end = Array.IndexOf(error, (byte)0);
                    var reason = Encoding.UTF8.GetString(error, 0, end < 0 ? error.Length : end).Trim();
                    errors.Add(result == -2
                        ? $"{path}:{key} is not a librdkafka setting ({reason}). Fix: correct or remove it; see librdkafka's CONFIGURATION.md for the properties."
                        : $"{path}:{key} '{value}' is refused by librdkafka: {reason}. Fix: use a value CONFIGURATION.md allows for {key}.");
                }
            }
        }
        finally
        {
            api.Destroy(conf);
        }
    }

    private static Api? Bind()
    {
        KafkaNativeLibrary.EnsureLoaded();
        if (KafkaNativeLibrary.LoadedPath is not { } path || !NativeLibrary.TryLoad(path, out var library))
        {
            return null;
        }

        return NativeLibrary.TryGetExport(library, "rd_kafka_conf_new", out var confNew)
            && NativeLibrary.TryGetExport(library, "rd_kafka_conf_set", out var confSet)
            && NativeLibrary.TryGetExport(library, "rd_kafka_conf_destroy", out var confDestroy)
            ? new Api(
                Marshal.GetDelegateForFunctionPointer<ConfNew>(confNew),
                Marshal.GetDelegateForFunctionPointer<ConfSet>(confSet),
                Marshal.GetDelegateForFunctionPointer<ConfDestroy>(confDestroy))
            : null;
    }

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate nint ConfNew();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int ConfSet(
        nint conf,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string name,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string value,
        [Out] byte[] error,
        nuint errorSize);

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate void ConfDestroy(nint conf);

    private sealed record Api(ConfNew New, ConfSet Set, ConfDestroy Destroy);
}
