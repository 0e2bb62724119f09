namespace KafkaPipeline.ErrorHandling.Configuration;

/// <summary>Resolves exception type names from configuration: assembly-qualified, or a full name in any loaded assembly.</summary>
internal static class ExceptionTypeNames
{
    public static Type? Resolve(string name, string path, ICollection<string> errors)
    {
        var type = Type.GetType(name, throwOnError: false)
            ?? AppDomain.CurrentDomain.GetAssemblies()
                .Select(a => a.GetType(name, throwOnError: false))
                .FirstOrDefault(t => t is not null);
        if (type is null)
        {
            errors.Add($"{path}: exception type '{name}' was not found. Fix: use the full name (e.g. System.TimeoutException) "
                + "or the assembly-qualified name (e.g. MyApp.Errors.PoisonException, MyApp).");
            return null;
        }

        if (!typeof(Exception).IsAssignableFrom(type))
        {
            errors.Add($"{path}: '{name}' is not an exception type. Fix: list types deriving from System.Exception.");
            return null;
        }

        return type;
    }
}
