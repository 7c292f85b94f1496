namespace Overlay.Encapsulation.Srv6;

/// <summary>
/// The NEXT-C-SID flavor's layout (RFC 9800 §4.1): a locator block of <see cref="LocatorBlockBits"/> shared by
/// every segment, then C-SIDs (node + function) of <see cref="CsidBits"/> each; one 128-bit container holds
/// the block and as many C-SIDs as fit. The default, 32/16, is the common "uSID" format: six per container.
/// </summary>
public readonly record struct CompressedSidFormat(int LocatorBlockBits = 32, int CsidBits = 16)
{
    public static CompressedSidFormat Default => new(32, 16);

    /// <summary>C-SIDs in one container.</summary>
    public int CsidsPerContainer => (128 - LocatorBlockBits) / CsidBits;

    /// <summary>BLOCK/CSID bits, as the command line writes a format (32/16).</summary>
    public override string ToString() => $"{LocatorBlockBits}/{CsidBits}";

    internal void Validate()
    {
        if (LocatorBlockBits is < 8 or > 112 || LocatorBlockBits % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(LocatorBlockBits), LocatorBlockBits, "The locator block must be 8..112 bits, in whole bytes.");
        }
        if (CsidBits is not (16 or 32))
        {
            throw new ArgumentOutOfRangeException(nameof(CsidBits), CsidBits, "RFC 9800 §4.1 recommends C-SIDs of 16 or 32 bits; those are supported.");
        }
        if (CsidsPerContainer < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CsidBits), CsidBits, "No C-SID fits after the locator block.");
        }
    }

    /// <summary>
    /// Packs segments (visit order) into containers: each is the block followed by up to <see cref="CsidsPerContainer"/>
    /// C-SIDs, the rest zero (the end-of-container marker). Every segment must lie in the block and have zero bits
    /// after its C-SID (a plain NEXT-C-SID SID, no argument).
    /// </summary>
    public UInt128[] Pack(IReadOnlyList<UInt128> segments)
    {
        Validate();
        int b = LocatorBlockBits, c = CsidBits;
        UInt128 blockMask = UInt128.MaxValue << (128 - b);
        UInt128 csidMask = (UInt128.One << c) - 1;
        UInt128 block = segments[0] & blockMask;
        int perContainer = CsidsPerContainer;
        var containers = new UInt128[(segments.Count + perContainer - 1) / perContainer];
        for (int i = 0; i < segments.Count; i++)
        {
            UInt128 sid = segments[i];
            if ((sid & blockMask) != block)
            {
                throw new ArgumentException($"Segment {SegmentRoutingHeader.ToAddress(sid)} is not in the locator block of {SegmentRoutingHeader.ToAddress(block)}/{b}.", nameof(segments));
            }
            UInt128 csid = (sid >> (128 - b - c)) & csidMask;
            if (csid == 0 || (sid & ~(blockMask | (csidMask << (128 - b - c)))) != 0)
            {
                throw new ArgumentException($"Segment {SegmentRoutingHeader.ToAddress(sid)} is not a /{b + c} NEXT-C-SID (a non-zero {c}-bit C-SID after the block, zeros after it).", nameof(segments));
            }
            int slot = i % perContainer;
            ref UInt128 container = ref containers[i / perContainer];
            if (slot == 0)
            {
                container = block;
            }
            container |= csid << (128 - b - (slot + 1) * c);
        }
        return containers;
    }
}
