namespace Overlay.Replay.Analysis;

/// <summary>
/// A set of distinct keys (each with its latest value) in bounded memory, by distinct sampling (Gibbons, VLDB 2001):
/// every key is kept while there are at most <see cref="Capacity"/>; past that, only the keys whose mixed hash has its
/// top <see cref="Level"/> bits clear, the level rising by one (and half the sample leaving) each time the sample fills.
/// Each distinct key is then in the sample with probability 2^-Level whatever how often it occurs, so
/// <see cref="EstimatedCount"/> is exact up to the capacity and within about 1/sqrt(Capacity) beyond it, and shares
/// computed over <see cref="Values"/> (flows per ECMP path) stay unbiased. A capture's length then changes nothing in
/// memory: flows grow with it, the sample does not.
/// </summary>
internal sealed partial class DistinctSample(int capacity)
{
    /// <summary>Keys kept at most: 32,768 per set, about 1 MiB, for each variant's flows and outer keys.</summary>
    public const int DefaultCapacity = 1 << 15;

    private readonly Dictionary<ulong, ulong> _items = [];

    public DistinctSample()
        : this(DefaultCapacity)
    {
    }

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));

    /// <summary>0 while every key is kept; each key is kept with probability 2^-Level.</summary>
    public int Level { get; private set; }

    /// <summary>True while no key has been left out: the count is exact.</summary>
    public bool IsExact => Level == 0;

    /// <summary>Distinct keys seen: exact while <see cref="IsExact"/>, else the sample scaled up.</summary>
    public long EstimatedCount => (long)_items.Count << Level;

    /// <summary>The latest value of every sampled key.</summary>
    public IEnumerable<ulong> Values => _items.Values;

    public void Set(ulong key, ulong value = 0)
    {
        if (!Sampled(key, Level))
        {
            return;
        }
        _items[key] = value;
        while (_items.Count > Capacity && Level < 63)
        {
            Level++;
            foreach (ulong k in _items.Keys)
            {
                if (!Sampled(k, Level))
                {
                    _items.Remove(k);
                }
            }
        }
    }

    private static bool Sampled(ulong key, int level) => level == 0 || Mix(key) >> (64 - level) == 0;

    /// <summary>SplitMix64's finaliser over a salted key: unrelated to the hashes that chose the key or its ECMP path.</summary>
    private static ulong Mix(ulong x)
    {
        x ^= 0x5851F42D4C957F2D;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
        return x ^ (x >> 31);
    }
}
