namespace Overlay.Encapsulation.Geneve;

/// <summary>Reads a GENEVE header and walks its options (RFC 8926 §3.4-3.5).</summary>
public static class GeneveDecoder
{
    /// <param name="frame">The whole outer frame.</param>
    /// <param name="offset">Where the GENEVE header starts.</param>
    /// <param name="end">Where the UDP datagram ends.</param>
    /// <param name="packet">Receives the GENEVE fields and the inner frame's place.</param>
    public static DecapResult Decode(ReadOnlySpan<byte> frame, int offset, int end, ref TunnelPacket packet)
    {
        if (end - offset < GeneveHeader.BaseLength)
        {
            return new DecapResult(DecapError.Truncated, offset);
        }
        ReadOnlySpan<byte> geneve = frame.Slice(offset, end - offset);
        if (GeneveHeader.VersionOf(geneve) != GeneveHeader.Version)
        {
            return new DecapResult(DecapError.GeneveVersion, offset);
        }
        int optionsLength = GeneveHeader.OptionsLength(geneve);
        if (GeneveHeader.BaseLength + optionsLength > geneve.Length)
        {
            return new DecapResult(DecapError.GeneveOptionLengthBeyondPacket, offset);
        }
        ReadOnlySpan<byte> options = geneve.Slice(GeneveHeader.BaseLength, optionsLength);
        for (int at = 0; at < options.Length;)
        {
            if (options.Length - at < GeneveHeader.OptionHeaderLength)
            {
                return new DecapResult(DecapError.GeneveOptionMalformed, offset + GeneveHeader.BaseLength + at);
            }
            int next = at + GeneveHeader.OptionHeaderLength + GeneveHeader.OptionDataLength(options.Slice(at));
            if (next > options.Length)
            {
                return new DecapResult(DecapError.GeneveOptionMalformed, offset + GeneveHeader.BaseLength + at);
            }
            at = next;
        }
        packet.Protocol = TunnelProtocol.Geneve;
        packet.Vni = GeneveHeader.Vni(geneve);
        packet.GeneveOam = GeneveHeader.Oam(geneve);
        packet.GeneveCritical = GeneveHeader.Critical(geneve);
        packet.GeneveOptionsOffset = offset + GeneveHeader.BaseLength;
        packet.GeneveOptionsLength = optionsLength;
        return Decapsulator.SetInner(frame, GeneveHeader.ProtocolType(geneve), offset + GeneveHeader.BaseLength + optionsLength, end,
            offset + GeneveHeader.ProtocolTypeOffset, ref packet);
    }
}
