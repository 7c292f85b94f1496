using Overlay.Fuzz;
using SharpFuzz;

// Overlay.Fuzz TARGET               under afl-fuzz: the SharpFuzz fork server, one input per run from standard input
// Overlay.Fuzz TARGET FILE|DIR...   replays inputs (a crash's, a corpus's) and says which ones throw; exit 1 if any does
// Overlay.Fuzz --seeds DIR CAPTURE...  writes a starting corpus per target into DIR/TARGET/
if (args.Length > 1)
{
    // Outside afl-fuzz the published (instrumented) assemblies still need a coverage map to count into.
    unsafe
    {
        SharpFuzz.Common.Trace.SharedMem = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed(1 << 16);
    }
}
if (args.Length >= 2 && args[0] == "--seeds")
{
    int written = Seeds.Write(args[1], args.Skip(2));
    Console.WriteLine($"{written} seeds in {args[1]}");
    return written > 0 ? 0 : 1;
}
if (args.Length == 0 || !FuzzTargets.Names.Contains(args[0]))
{
    Console.Error.WriteLine($"usage: Overlay.Fuzz TARGET [FILE|DIR...]; targets: {string.Join(", ", FuzzTargets.Names)}");
    return 2;
}
string target = args[0];
if (args.Length > 1)
{
    int failed = 0, run = 0;
    foreach (string path in args.Skip(1).SelectMany<string, string>(p => Directory.Exists(p) ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal) : [p]))
    {
        run++;
        try
        {
            FuzzTargets.Run(target, File.ReadAllBytes(path));
        }
        catch (Exception e)
        {
            failed++;
            Console.WriteLine($"{path}: {e.GetType().Name}: {e.Message}");
            Console.WriteLine(e.StackTrace);
        }
    }
    Console.WriteLine($"{target}: {run} inputs, {failed} threw");
    return failed == 0 ? 0 : 1;
}

var buffer = new MemoryStream();
Fuzzer.Run(stream =>
{
    buffer.SetLength(0);
    stream.CopyTo(buffer);
    FuzzTargets.Run(target, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
});
return 0;
