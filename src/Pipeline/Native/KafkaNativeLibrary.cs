using System.Diagnostics;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace KafkaPipeline.Native;

/// <summary>
/// Makes Confluent.Kafka load a working librdkafka. Confluent's own probing is tried first; when it
/// fails (for example the package's default Linux build needs <c>libsasl2.so.3</c>, which Debian lacks),
/// the builds shipped beside it (<c>centos8-librdkafka.so</c>, <c>librdkafka.so</c>,
/// <c>alpine-librdkafka.so</c>) are tried from the application folder and the NuGet package folder.
/// </summary>
internal static class KafkaNativeLibrary
{
    private const string RedistPackage = "librdkafka.redist";
    private static readonly Lock Gate = new();
    private static volatile bool loaded;
    private static string? loadedPath;

    /// <summary>
    /// The full path of the librdkafka file Confluent.Kafka uses, once <see cref="EnsureLoaded"/> has
    /// succeeded; <see langword="null"/> before that, or if the loaded module could not be identified.
    /// </summary>
    public static string? LoadedPath => loadedPath;

    /// <summary>Loads librdkafka for Confluent.Kafka. Idempotent and thread-safe.</summary>
    /// <exception cref="DllNotFoundException">No librdkafka build could be loaded; the message lists every attempt.</exception>
    public static void EnsureLoaded()
    {
        if (loaded)
        {
            return;
        }

        lock (Gate)
        {
            if (loaded)
            {
                return;
            }

            var failures = new List<string>();
            if (!TryConfluentDefault(failures) && !TryCandidates(failures))
            {
                throw new DllNotFoundException(
                    "Could not load librdkafka for Confluent.Kafka. Tried:" + Environment.NewLine
                    + string.Join(Environment.NewLine, failures.Select(f => "  - " + f)) + Environment.NewLine
                    + "Install the librdkafka.redist package (it comes with Confluent.Kafka) or a system librdkafka, "
                    + "and make sure the native dependencies of one of its builds are present.");
            }

            loadedPath ??= FindLoadedModule();
            loaded = true;
        }
    }

    private static bool TryConfluentDefault(List<string> failures)
    {
        try
        {
            if (!Library.IsLoaded)
            {
                Library.Load();
            }

            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or FileLoadException or InvalidOperationException or BadImageFormatException)
        {
            failures.Add($"Confluent.Kafka's default probing: {FirstLine(e.Message)}");
            return false;
        }
    }

    private static bool TryCandidates(List<string> failures)
    {
        foreach (var path in Candidates().Distinct(StringComparer.Ordinal))
        {
            if (!File.Exists(path))
            {
                continue;
            }

            if (!NativeLibrary.TryLoad(path, out var handle))
            {
                failures.Add($"{path}: the file exists but could not be loaded (a native dependency is missing?)");
                continue;
            }

            try
            {
                // Confluent binds its imports by these names; answer them all with the build that loaded.
                NativeLibrary.SetDllImportResolver(typeof(Library).Assembly, (name, _, _) =>
                    name.EndsWith("librdkafka", StringComparison.Ordinal) ? handle : IntPtr.Zero);
                Library.Load();
                loadedPath = path;
                return true;
            }
            catch (Exception e) when (e is DllNotFoundException or FileLoadException or InvalidOperationException or BadImageFormatException)
            {
                failures.Add($"{path}: loaded, but Confluent.Kafka could not use it: {FirstLine(e.Message)}");
                return false; // A resolver can be registered only once per assembly.
            }
        }

        failures.Add($"no other librdkafka file found in: {string.Join(", ", CandidateDirectories().Distinct(StringComparer.Ordinal))}");
        return false;
    }

    private static IEnumerable<string> Candidates()
    {
        string[] names = OperatingSystem.IsWindows() ? ["librdkafka.dll"]
            : OperatingSystem.IsMacOS() ? ["librdkafka.dylib"]
            : File.Exists("/etc/alpine-release") ? ["alpine-librdkafka.so", "librdkafka.so", "centos8-librdkafka.so"]
            : ["centos8-librdkafka.so", "librdkafka.so", "alpine-librdkafka.so"];
        return CandidateDirectories().SelectMany(directory => names.Select(name => Path.Combine(directory, name)));
    }

    private static IEnumerable<string> CandidateDirectories() =>
        RawCandidateDirectories().Select(directory => Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));

    private static IEnumerable<string> RawCandidateDirectories()
    {
        var rid = RuntimeId();
        yield return Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native");
        yield return AppContext.BaseDirectory;
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirectories)
        {
            foreach (var directory in searchDirectories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                yield return directory;
            }
        }

        var version = typeof(Library).Assembly.GetName().Version;
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        if (version is not null)
        {
            yield return Path.Combine(packages, RedistPackage, version.ToString(3), "runtimes", rid, "native");
        }
    }

    private static string RuntimeId()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        return $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
    }

    private static string? FindLoadedModule()
    {
        using var process = Process.GetCurrentProcess();
        return process.Modules.Cast<ProcessModule>()
            .Select(module => module.FileName)
            .FirstOrDefault(file => Path.GetFileName(file).Contains("librdkafka", StringComparison.OrdinalIgnoreCase));
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
