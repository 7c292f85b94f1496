using System.CommandLine;
using System.CommandLine.Parsing;
using System.Runtime.InteropServices;

namespace Overlay.Cli;

/// <summary>
/// Options that name files and folders, checked before a verb runs: an input exists and is the kind of thing asked
/// for, an output is not a folder, and no output is an input or another output — compared as files, so a symbolic
/// link, a hard link or a second spelling of the same path is caught. A missing output folder is created when written.
/// </summary>
internal static class PathOptions
{
    public static Option<string> InputFile(string name, string description, bool required = true) =>
        WithValidator(new Option<string>(name) { Description = description, Required = required }, CheckInputFile);

    public static Option<string[]> InputFiles(string name, string description) =>
        WithValidator(new Option<string[]>(name) { Description = description, AllowMultipleArgumentsPerToken = true }, CheckInputFile);

    public static Option<string> InputFolder(string name, string description, bool required = true, string? fallback = null)
    {
        var option = new Option<string>(name) { Description = description, Required = required };
        if (fallback is not null)
        {
            option.DefaultValueFactory = _ => fallback;
        }
        return WithValidator(option, (result, text) =>
        {
            if (File.Exists(text))
            {
                OptionValues.Report(result, $"{result.Option.Name} {text}: is a file; name the folder that holds them");
            }
            else if (!Directory.Exists(text))
            {
                OptionValues.Report(result, $"{result.Option.Name} {text}: no such folder");
            }
        });
    }

    public static Option<string> OutputFile(string name, string description, bool required = true) =>
        WithValidator(new Option<string>(name) { Description = description, Required = required }, CheckOutputFile);

    public static Option<string?> OptionalOutputFile(string name, string description) =>
        WithValidator(new Option<string?>(name) { Description = description }, CheckOutputFile);

    public static Option<string?> OutputFolder(string name, string description) =>
        WithValidator(new Option<string?>(name) { Description = description }, (result, text) =>
        {
            if (File.Exists(text))
            {
                OptionValues.Report(result, $"{result.Option.Name} {text}: is a file; name a folder (it is created if missing)");
            }
        });

    private static void CheckInputFile(OptionResult result, string text)
    {
        if (Directory.Exists(text))
        {
            OptionValues.Report(result, $"{result.Option.Name} {text}: is a folder; name a file");
        }
        else if (!File.Exists(text))
        {
            OptionValues.Report(result, $"{result.Option.Name} {text}: no such file");
        }
    }

    private static void CheckOutputFile(OptionResult result, string text)
    {
        if (Directory.Exists(text) || text.EndsWith('/') || text.EndsWith(Path.DirectorySeparatorChar))
        {
            OptionValues.Report(result, $"{result.Option.Name} {text}: is a folder; name the file to write (its folder is created if missing)");
        }
        else if (Path.GetDirectoryName(Path.GetFullPath(text)) is string folder && File.Exists(folder))
        {
            OptionValues.Report(result, $"{result.Option.Name} {text}: {folder} is a file, not a folder");
        }
    }

    private static Option<T> WithValidator<T>(Option<T> option, Action<OptionResult, string> check)
    {
        option.Validators.Add(result =>
        {
            foreach (Token token in result.Tokens)
            {
                check(result, token.Value);
            }
        });
        return option;
    }

    /// <summary>
    /// Refuses a command line on which an output is one of the inputs or two outputs are one file. The first clash
    /// found is reported, naming both options and both paths as typed.
    /// </summary>
    public static void RequireDistinct(CommandResult command, IReadOnlyList<Option> inputs, IReadOnlyList<Option> outputs,
        Func<CommandResult, IEnumerable<string>>? moreInputs = null)
    {
        var seenInputs = new List<(string Label, FileIdentity Id)>();
        foreach (Option option in inputs)
        {
            foreach (string path in Given(command, option))
            {
                if (FileIdentity.Of(path) is FileIdentity id)
                {
                    seenInputs.Add(($"{option.Name} {path}", id));
                }
            }
        }
        foreach (string path in moreInputs?.Invoke(command) ?? [])
        {
            if (FileIdentity.Of(path) is FileIdentity id)
            {
                seenInputs.Add((path, id));
            }
        }
        var seenOutputs = new List<(string Label, FileIdentity Id)>();
        foreach (Option option in outputs)
        {
            foreach (string path in Given(command, option))
            {
                FileIdentity id = FileIdentity.Of(path) ?? FileIdentity.Planned(path);
                string label = $"{option.Name} {path}";
                if (seenInputs.FirstOrDefault(i => i.Id == id) is { Label: not null } input)
                {
                    OptionValues.Report(command, $"{label}: is the input {input.Label}; writing it would destroy the input (name another file)");
                    return;
                }
                if (seenOutputs.FirstOrDefault(o => o.Id == id) is { Label: not null } other)
                {
                    OptionValues.Report(command, $"{label}: is also {other.Label}; one file cannot hold both (name another file)");
                    return;
                }
                seenOutputs.Add((label, id));
            }
        }
    }

    private static IEnumerable<string> Given(CommandResult command, Option option) =>
        command.GetResult(option) is { Implicit: false } result ? result.Tokens.Select(t => t.Value) : [];
}

/// <summary>
/// What makes two paths one file: the device and inode (after following every link) where the file exists on Linux;
/// otherwise the full path with its folder's links resolved. A file not yet written is known by its folder and name.
/// </summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode, string? Path)
{
    public static FileIdentity? Of(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        if (OperatingSystem.IsLinux() && Stat(System.IO.Path.GetFullPath(path)) is (ulong device, ulong inode))
        {
            return new FileIdentity(device, inode, null);
        }
        return new FileIdentity(0, 0, Resolve(path));
    }

    /// <summary>A file that does not exist yet: its folder's identity with its name.</summary>
    public static FileIdentity Planned(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        string folder = System.IO.Path.GetDirectoryName(full) ?? full;
        string folderId = Directory.Exists(folder) && OperatingSystem.IsLinux() && Stat(folder) is (ulong d, ulong i) ? $"{d}:{i}" : Resolve(folder);
        return new FileIdentity(0, 0, $"{folderId}/{System.IO.Path.GetFileName(full)}");
    }

    private static string Resolve(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        FileSystemInfo? target = File.Exists(full) ? new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) : null;
        return target?.FullName ?? full;
    }

    /// <summary>
    /// Whether <paramref name="path"/> is a plain file, not a pipe or a device that a second open would read from
    /// again (scripts stream captures through named pipes). Assumed so where it cannot be asked.
    /// </summary>
    public static bool IsRegularFile(string path) =>
        !OperatingSystem.IsLinux() || StatMode(System.IO.Path.GetFullPath(path)) is not ushort mode || (mode & 0xF000) == 0x8000 /* S_IFREG */;

    private static ushort? StatMode(string path)
    {
        var buffer = new byte[256];
        try
        {
            return StatX(-100 /* AT_FDCWD */, path, 0, 0x1 /* STATX_TYPE */, buffer) == 0 ? BitConverter.ToUInt16(buffer, 28) : null;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    private static (ulong Device, ulong Inode)? Stat(string path)
    {
        // struct statx has the same layout on every Linux architecture: stx_ino at byte 32, stx_dev_major/minor at 136/140.
        var buffer = new byte[256];
        try
        {
            if (StatX(-100 /* AT_FDCWD */, path, 0, 0x100 /* STATX_INO */, buffer) != 0)
            {
                return null;
            }
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
        ulong inode = BitConverter.ToUInt64(buffer, 32);
        ulong device = ((ulong)BitConverter.ToUInt32(buffer, 136) << 32) | BitConverter.ToUInt32(buffer, 140);
        return (device, inode);
    }

    [DllImport("libc", EntryPoint = "statx")]
    private static extern int StatX(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);
}
