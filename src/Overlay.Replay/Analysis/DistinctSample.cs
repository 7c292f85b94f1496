using System.Numerics;

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
internal sealed partial class DistinctSample
{
    /// <summary>Keys kept at most: 32,768 per set, in a table of 1 MiB, for each variant's flows and outer keys.</summary>
    public const int DefaultCapacity = 1 << 15;

    // An open-addressing table (linear probing, at most about half full), as Dictionary's buckets and entries cost two cache
    // misses and a division where this costs one miss and a mask: it is looked up for every frame and variant. A key
    // and its value sit side by side, so a look-up touches one cache line; key 0 marks a free slot, and the key 0
    // itself is kept beside the table.
    // The table starts small and grows sixteenfold as keys come, up to twice the capacity: a short capture's samples
    // stay small, and the tables grown from (4 and 64 KiB) are short-lived garbage, not large objects left until a full
    // collection.
    private Slot[] _slots;
    private int _mask;
    private readonly int _maxSlots;
    private const int FirstSlots = 256;
    private const int GrowthFactor = 16;
    private int _count;
    private bool _hasZero;
    private ulong _zeroValue;
    // The last key set and its value: setting them again changes nothing (packets of a flow come in runs).
    private ulong _lastKey, _lastValue;
    private bool _hasLast;

    private struct Slot
    {
        public ulong Key;
        public ulong Value;
    }

    public DistinctSample()
        : this(DefaultCapacity)
    {
    }

    public DistinctSample(int capacity)
    {
        Capacity = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));
        // Twice the capacity: half full when the sample is (one key more only until it is resampled).
        int slots = (int)BitOperations.RoundUpToPowerOf2((uint)capacity * 2);
        _maxSlots = slots;
        _slots = new Slot[Math.Min(slots, FirstSlots)];
        _mask = _slots.Length - 1;
    }

    public int Capacity { get; }

    /// <summary>0 while every key is kept; each key is kept with probability 2^-Level.</summary>
    public int Level { get; private set; }

    /// <summary>True while no key has been left out: the count is exact.</summary>
    public bool IsExact => Level == 0;

    /// <summary>Distinct keys seen: exact while <see cref="IsExact"/>, else the sample scaled up.</summary>
    public long EstimatedCount => (long)_count << Level;

    /// <summary>The latest value of every sampled key.</summary>
    public IEnumerable<ulong> Values => Pairs().Select(p => p.Value);

    /// <summary>Every sampled key with its latest value, in no particular order.</summary>
    private List<(ulong Key, ulong Value)> Pairs()
    {
        var pairs = new List<(ulong Key, ulong Value)>(_count);
        if (_hasZero)
        {
            pairs.Add((0, _zeroValue));
        }
        foreach (Slot slot in _slots)
        {
            if (slot.Key != 0)
            {
                pairs.Add((slot.Key, slot.Value));
            }
        }
        return pairs;
    }

    public void Set(ulong key, ulong value = 0)
    {
        if (_hasLast && key == _lastKey && value == _lastValue)
        {
            return;
        }
        _lastKey = key;
        _lastValue = value;
        _hasLast = true;
        ulong mixed = Mix(key);
        if (!Sampled(mixed, Level))
        {
            return;
        }
        if (key == 0)
        {
            _zeroValue = value;
            if (_hasZero)
            {
                return;
            }
            _hasZero = true;
        }
        else
        {
            ref Slot slot = ref _slots[Find(key, mixed)];
            slot.Value = value;
            if (slot.Key == key)
            {
                return;
            }
            slot.Key = key;
        }
        _count++;
        if (_count * 2 > _slots.Length && _slots.Length < _maxSlots)
        {
            Grow();
        }
        while (_count > Capacity && Level < 63)
        {
            Level++;
            Resample();
        }
    }

    /// <summary>The slot that holds <paramref name="key"/> (not 0), or the free slot where it goes.</summary>
    private int Find(ulong key, ulong mixed)
    {
        // The low bits place the key; the high bits decide its sampling, so the two do not correlate.
        Slot[] slots = _slots;
        int slot = (int)mixed & _mask;
        while (slots[slot].Key != key && slots[slot].Key != 0)
        {
            slot = (slot + 1) & _mask;
        }
        return slot;
    }

    /// <summary>Drops the keys the new level leaves out and puts the others back (a rare step: once per doubling).</summary>
    private void Resample()
    {
        List<(ulong Key, ulong Value)> kept = Pairs();
        Array.Clear(_slots);
        _hasZero = false;
        _count = 0;
        foreach ((ulong key, ulong value) in kept)
        {
            if (!Sampled(Mix(key), Level))
            {
                continue;
            }
            if (key == 0)
            {
                _hasZero = true;
                _zeroValue = value;
            }
            else
            {
                _slots[Find(key, Mix(key))] = new Slot { Key = key, Value = value };
            }
            _count++;
        }
    }

    /// <summary>Grows the table and puts every key back.</summary>
    private void Grow()
    {
        Slot[] old = _slots;
        _slots = new Slot[Math.Min(old.Length * GrowthFactor, _maxSlots)];
        _mask = _slots.Length - 1;
        foreach (Slot slot in old)
        {
            if (slot.Key != 0)
            {
                _slots[Find(slot.Key, Mix(slot.Key))] = slot;
            }
        }
    }

    private static bool Sampled(ulong mixed, int level) => level == 0 || mixed >> (64 - level) == 0;

    /// <summary>SplitMix64's finaliser over a salted key: unrelated to the hashes that chose the key or its ECMP path.</summary>
    private static ulong Mix(ulong x)
    {
        x ^= 0x5851F42D4C957F2D;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB;
        return x ^ (x >> 31);
    }
}
