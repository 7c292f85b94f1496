using System.Text;

namespace Overlay.Reporting.Report;

/// <summary>Writes a file under a temporary name beside it and renames it into place, so no reader ever sees half of it.</summary>
public static class OutputFile
{
    public static void WriteAllText(string path, string contents) => WriteAllBytes(path, new UTF8Encoding(false).GetBytes(contents));

    public static void WriteAllBytes(string path, byte[] contents)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.partial");
        try
        {
            File.WriteAllBytes(temporary, contents);
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
