using System.Globalization;
using Overlay.Kernel.Peer;

namespace Overlay.Kernel.Namespaces;

/// <summary>
/// Two hosts, A and B: fresh network namespaces with names unique to this run (process id and a random suffix), joined by
/// one veth pair, the underlay. Everything the run builds lives inside them, so deleting them removes every link,
/// address and route, and nothing is ever done to the host's own interfaces, routes or sysctls. Dispose (and the
/// process-exit hook, for a path that skips it) deletes both.
/// </summary>
public sealed class Testbed : IDisposable
{
    public const string NamePrefix = "ovk-";
    public const string Underlay = "ul";
    public const int UnderlayMtu = 9000;
    public const string MacA = "02:00:00:99:00:01", MacB = "02:00:00:99:00:02";
    public const string UnderlayA4 = "10.99.0.1", UnderlayB4 = "10.99.0.2", UnderlayA6 = "fd00:99::1", UnderlayB6 = "fd00:99::2";

    private static readonly object Gate = new();
    private static readonly HashSet<Testbed> Live = [];
    private readonly List<PeerClient> _peers = [];
    private bool _disposed;

    static Testbed() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        Testbed[] live;
        lock (Gate)
        {
            live = [.. Live];
        }
        foreach (Testbed testbed in live)
        {
            testbed.Dispose();
        }
    };

    private Testbed(string ip, string a, string b)
    {
        Ip = ip;
        A = a;
        B = b;
    }

    public string Ip { get; }
    /// <summary>The namespace of host A (the sender).</summary>
    public string A { get; }
    /// <summary>The namespace of host B (the receiver).</summary>
    public string B { get; }

    /// <summary>Creates A and B and the underlay between them, with permanent neighbour entries (no ARP or neighbour
    /// discovery during a trial), IPv6 duplicate address detection off, forwarding and SRv6 processing on.</summary>
    public static Testbed Create(string ip, string sysctl)
    {
        RemoveAbandoned(ip);
        string run = $"{NamePrefix}{Environment.ProcessId}-{Random.Shared.Next(0x10000):x4}";
        var testbed = new Testbed(ip, run + "-a", run + "-b");
        lock (Gate)
        {
            Live.Add(testbed);
        }
        try
        {
            foreach (string ns in new[] { testbed.A, testbed.B })
            {
                Shell.Run(ip, ["netns", "add", ns]);
                testbed.CreatedNamespaces.Add(ns);
                // Set before any link exists, so every link inherits them; namespace-local, the host's stay as they are.
                Shell.Run(ip, ["netns", "exec", ns, sysctl, "-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0",
                    "net.ipv6.conf.all.router_solicitations=0", "net.ipv6.conf.default.router_solicitations=0",
                    "net.ipv6.conf.all.seg6_enabled=1", "net.ipv6.conf.default.seg6_enabled=1",
                    "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1", "net.ipv6.conf.all.keep_addr_on_down=1",
                    // SRv6 L2 encapsulation takes A's own traffic in on a veth inside A: its source address is A's own
                    "net.ipv4.conf.all.accept_local=1", "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0"]);
                testbed.In(ns, "link set lo up");
            }
            string mtu = UnderlayMtu.ToString(CultureInfo.InvariantCulture);
            Shell.Run(ip, ["link", "add", Underlay, "netns", testbed.A, "address", MacA, "mtu", mtu, "type", "veth",
                "peer", "name", Underlay, "netns", testbed.B, "address", MacB, "mtu", mtu]);
            foreach (var (ns, v4, v6, peer4, peer6, peerMac) in new[]
            {
                (testbed.A, UnderlayA4, UnderlayA6, UnderlayB4, UnderlayB6, MacB),
                (testbed.B, UnderlayB4, UnderlayB6, UnderlayA4, UnderlayA6, MacA),
            })
            {
                Shell.Run(ip, ["netns", "exec", ns, sysctl, "-qw", $"net.ipv6.conf.{Underlay}.seg6_enabled=1"]);
                testbed.In(ns, $"addr add {v4}/24 dev {Underlay}");
                testbed.In(ns, $"addr add {v6}/64 dev {Underlay} nodad");
                testbed.In(ns, $"link set {Underlay} up");
                testbed.In(ns, $"neigh replace {peer4} lladdr {peerMac} dev {Underlay} nud permanent");
                testbed.In(ns, $"neigh replace {peer6} lladdr {peerMac} dev {Underlay} nud permanent");
            }
            return testbed;
        }
        catch
        {
            testbed.Dispose();
            throw;
        }
    }

    private List<string> CreatedNamespaces { get; } = [];

    /// <summary>Runs `ip -n NS WORDS…` (the words split on spaces); a failure throws with the command and its error.</summary>
    public string In(string ns, string command) => Shell.Run(Ip, ["-n", ns, .. command.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);

    public Shell.Outcome TryIn(string ns, string command) => Shell.TryRun(Ip, ["-n", ns, .. command.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);

    /// <summary>Runs a tool inside a namespace: `ip netns exec NS TOOL ARGS…`.</summary>
    public Shell.Outcome Exec(string ns, string tool, params string[] arguments) => Shell.TryRun(Ip, ["netns", "exec", ns, tool, .. arguments]);

    /// <summary>A peer the testbed ends with itself.</summary>
    public PeerClient StartPeer(SelfCommand self, string taskset, string ns, int core, string name)
    {
        PeerClient peer = PeerClient.Start(self, Ip, taskset, ns, core, name);
        lock (Gate)
        {
            _peers.Add(peer);
        }
        return peer;
    }

    /// <summary>Whether a namespace of this testbed, or any link in it, still exists.</summary>
    public bool AnythingLeft() => Shell.TryRun(Ip, ["netns", "list"]).Stdout.Split('\n')
        .Any(line => line.StartsWith(A, StringComparison.Ordinal) || line.StartsWith(B, StringComparison.Ordinal));

    public void Dispose()
    {
        lock (Gate)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            Live.Remove(this);
        }
        foreach (PeerClient peer in _peers)
        {
            peer.Dispose();
        }
        foreach (string ns in CreatedNamespaces)
        {
            KillProcessesIn(Ip, ns);
            Shell.TryRun(Ip, ["netns", "del", ns]);
        }
    }

    // Only this run's own processes (peers, captures) can be in its namespaces.
    private static void KillProcessesIn(string ip, string ns)
    {
        foreach (string pid in Shell.TryRun(ip, ["netns", "pids", ns]).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(pid.Trim(), out int id))
            {
                try
                {
                    System.Diagnostics.Process.GetProcessById(id).Kill();
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    // it ended on its own
                }
            }
        }
    }

    /// <summary>Deletes namespaces that an earlier run of this tool left when it was killed outright (SIGKILL leaves no
    /// chance to clean up): those named ovk-PID-… whose PID no longer runs.</summary>
    private static void RemoveAbandoned(string ip)
    {
        foreach (string line in Shell.TryRun(ip, ["netns", "list"]).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string name = line.Split(' ')[0];
            if (!name.StartsWith(NamePrefix, StringComparison.Ordinal))
            {
                continue;
            }
            string[] parts = name[NamePrefix.Length..].Split('-');
            if (parts.Length == 3 && int.TryParse(parts[0], out int pid) && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                KillProcessesIn(ip, name);
                Shell.TryRun(ip, ["netns", "del", name]);
            }
        }
    }
}
