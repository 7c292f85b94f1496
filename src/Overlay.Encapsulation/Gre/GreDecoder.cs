using System.Buffers.Binary;
using Overlay.Encapsulation.Headers;
using System.Runtime.CompilerServices;

namespace Overlay.Encapsulation.Gre;

/// <summary>Reads a GRE header (RFC 2784/2890) and locates its payload.</summary>
public static class GreDecoder
{
    /// <param name="frame">The whole outer frame.</param>
    /// <param name="offset">Where the GRE header starts.</param>
    /// <param name="end">Where the outer IP packet ends.</param>
    /// <param name="packet">Receives the GRE fields and the inner frame's place.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static DecapResult Decode(ReadOnlySpan<byte> frame, int offset, int end, ref TunnelPacket packet)
    {
        if (end - offset < GreHeader.BaseLength)
        {
            return new DecapResult(DecapError.Truncated, offset);
        }
        ReadOnlySpan<byte> gre = frame.Slice(offset, end - offset);
        ushort flags = GreHeader.Flags(gre);
        if ((flags & GreHeader.VersionMask) != 0)
        {
            return new DecapResult(DecapError.GreVersion, offset + 1);
        }
        if ((flags & GreHeader.MustBeZeroMask) != 0)
        {
            return new DecapResult(DecapError.GreReservedBits, offset);
        }
        int length = GreHeader.Length(flags);
        if (gre.Length < length)
        {
            return new DecapResult(DecapError.Truncated, offset);
        }
        packet.Protocol = TunnelProtocol.Gre;
        packet.HasGreChecksum = (flags & GreHeader.ChecksumPresent) != 0;
        packet.HasKey = (flags & GreHeader.KeyPresent) != 0;
        packet.HasSequence = (flags & GreHeader.SequencePresent) != 0;
        if (packet.HasGreChecksum && !InternetChecksum.IsValid(gre))
        {
            return new DecapResult(DecapError.BadGreChecksum, offset + GreHeader.BaseLength);
        }
        if (packet.HasKey)
        {
            packet.Key = BinaryPrimitives.ReadUInt32BigEndian(gre.Slice(GreHeader.KeyOffset(flags)));
        }
        if (packet.HasSequence)
        {
            packet.Sequence = BinaryPrimitives.ReadUInt32BigEndian(gre.Slice(GreHeader.SequenceOffset(flags)));
        }
        return Decapsulator.SetInner(frame, GreHeader.ProtocolType(gre), offset + length, end, offset + GreHeader.ProtocolTypeOffset, ref packet);
    }
}
