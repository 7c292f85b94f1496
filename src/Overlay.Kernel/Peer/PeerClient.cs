using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace Overlay.Kernel.Peer;

/// <summary>How to start this tool again in a child process: the executable and the arguments before the verb
/// (the apphost alone, or `dotnet overlay.dll`).</summary>
public sealed record SelfCommand(string FileName, IReadOnlyList<string> Prefix)
{
    /// <summary>The start of `WRAPPER… TOOL ARGUMENTS…` (the wrapper, e.g. `ip netns exec NS`, may be empty), every stream
    /// redirected.</summary>
    public ProcessStartInfo StartInfo(IReadOnlyList<string> wrapper, IEnumerable<string> arguments)
    {
        List<string> words = [.. wrapper, FileName, .. Prefix, .. arguments];
        var start = new ProcessStartInfo(words[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string word in words.Skip(1))
        {
            start.ArgumentList.Add(word);
        }
        return start;
    }
}

/// <summary>The run's handle on one <see cref="PeerServer"/> process: started in a namespace, pinned to a core.</summary>
public sealed class PeerClient : IDisposable
{
    private readonly Process _process;
    private readonly BlockingCollection<string> _replies = new();
    private readonly StringBuilder _stderr = new();
    private readonly string _name;

    private PeerClient(Process process, string name)
    {
        _process = process;
        _name = name;
    }

    public int ProcessId => _process.Id;

    /// <summary>Starts `ip netns exec NAMESPACE taskset -c CORE overlay kernel peer`.</summary>
    public static PeerClient Start(SelfCommand self, string ipPath, string tasksetPath, string netns, int core, string name)
    {
        ProcessStartInfo start = self.StartInfo([ipPath, "netns", "exec", netns, tasksetPath, "-c", core.ToString(System.Globalization.CultureInfo.InvariantCulture)], ["kernel", "peer"]);
        // One GC thread and no background GC: the peer's own runtime stays off the cores it measures.
        start.Environment["DOTNET_gcConcurrent"] = "0";
        start.Environment["DOTNET_GCHeapCount"] = "1";
        var process = Process.Start(start) ?? throw new IOException($"could not start the {name} peer");
        var client = new PeerClient(process, name);
        process.OutputDataReceived += (_, e) =>
        {
            lock (client._replies)
            {
                if (client._replies.IsAddingCompleted)
                {
                    return;
                }
                if (e.Data is null)
                {
                    client._replies.CompleteAdding();
                }
                else
                {
                    client._replies.Add(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (client._stderr)
                {
                    client._stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return client;
    }

    public void Send(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>The next reply, split into words; "error …" or no reply within <paramref name="timeout"/> throws.</summary>
    public string[] Expect(string reply, TimeSpan timeout, CancellationToken cancellation)
    {
        string? line;
        try
        {
            if (!_replies.TryTake(out line, (int)timeout.TotalMilliseconds, cancellation))
            {
                line = null;
            }
        }
        catch (InvalidOperationException)
        {
            line = null; // the peer's output ended
        }
        if (line is null)
        {
            string stderr;
            lock (_stderr)
            {
                stderr = _stderr.ToString().Trim();
            }
            throw new KernelRunException($"the {_name} peer gave no '{reply}' within {timeout.TotalSeconds:0.#} s" +
                (_process.HasExited ? $" (it exited with {_process.ExitCode})" : "") + (stderr.Length > 0 ? $": {stderr.ReplaceLineEndings(" ")}" : ""));
        }
        string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || words[0] != reply)
        {
            throw new KernelRunException($"the {_name} peer answered '{line}' instead of '{reply}'");
        }
        return words;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(2000))
                {
                    _process.Kill();
                    _process.WaitForExit(2000);
                }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            // already gone
        }
        lock (_replies)
        {
            // Output that arrives after this is dropped; the collection itself is left to the collector, since the
            // process's reader thread may still be delivering its last line.
            _replies.CompleteAdding();
        }
        _process.Dispose();
    }
}

/// <summary>The run cannot go on (a command failed, a peer did not answer): exit 1 with this message.</summary>
public sealed class KernelRunException(string message, Exception? inner = null) : Exception(message, inner);
