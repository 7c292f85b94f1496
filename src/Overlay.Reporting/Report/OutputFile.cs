using System.Text;

namespace Overlay.Reporting.Report;

/// <summary>Writes a file under a temporary name beside it and renames it into place, so no reader ever sees half of it.</summary>
public static class OutputFile
{
    public static void WriteAllText(string path, string contents) => WriteAllBytes(path, new UTF8Encoding(false).GetBytes(contents));

    public static void WriteAllBytes(string path, byte[] contents) => Write(path, stream => stream.Write(contents));

    /// <summary>Writes what <paramref name="write"/> puts in the stream, as it goes: a large document is never held whole in memory.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(full) ?? ".";
        Directory.CreateDirectory(directory);
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.partial");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
