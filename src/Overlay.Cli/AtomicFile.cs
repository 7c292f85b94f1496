namespace Overlay.Cli;

/// <summary>Writes a file under a temporary name beside it and renames it into place, so no reader ever sees half of it.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string contents)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.partial");
        try
        {
            File.WriteAllText(temporary, contents);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
