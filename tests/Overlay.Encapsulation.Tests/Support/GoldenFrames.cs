namespace Overlay.Encapsulation.Tests.Support;

/// <summary>
/// The inner frames of the golden vectors, written out as bytes (checksums computed by hand, RFC 1071), and the
/// outer addresses the vectors use: RFC 5737 / RFC 3849 documentation addresses, the default outer MACs.
/// </summary>
public static class GoldenFrames
{
    /// <summary>Outer Ethernet of an IPv4 underlay: dst 02:00:5e:00:00:02, src 02:00:5e:00:00:01, type 0x0800.</summary>
    public const string OuterEthernetV4 = "02005e000002 02005e000001 0800";
    /// <summary>Outer Ethernet of an IPv6 underlay: type 0x86DD.</summary>
    public const string OuterEthernetV6 = "02005e000002 02005e000001 86dd";
    /// <summary>2001:db8::1 then 2001:db8::2, the IPv6 underlay's source and destination.</summary>
    public const string OuterV6Addresses = "20010db8000000000000000000000001 20010db8000000000000000000000002";

    /// <summary>
    /// 46 bytes: Ethernet 02:11:22:33:44:55 ← 02:66:77:88:99:aa, type 0x0800; IPv4 45 00, total 0x0020 (32), ID 1,
    /// no flags, TTL 64, proto 1 ICMP, checksum 0x66da, 10.0.0.1 → 10.0.0.2; ICMP echo request type 8 code 0,
    /// checksum 0x5a60, id 1, seq 1, data de ad be ef.
    /// </summary>
    public const string InnerV4Hex =
        "021122334455 0266778899aa 0800 | 45 00 0020 0001 0000 40 01 66da 0a000001 0a000002 | 08 00 5a60 0001 0001 deadbeef";

    /// <summary>
    /// 66 bytes: Ethernet type 0x86DD; IPv6 version 6, traffic class 0, flow label 0x12345, payload length 12,
    /// next header 17 UDP, hop limit 64, 2001:db8:aa::1 → 2001:db8:aa::2; UDP 40000 → 53, length 12,
    /// checksum 0x0292, data 01 02 03 04.
    /// </summary>
    public const string InnerV6Hex =
        "021122334455 0266778899aa 86dd | 6 00 12345 000c 11 40 20010db800aa00000000000000000001 20010db800aa00000000000000000002 | 9c40 0035 000c 0292 01020304";

    /// <summary>The IPv4 frame with a C-tag (TPID 0x8100, VID 100) before the EtherType: 50 bytes.</summary>
    public const string InnerV4VlanHex =
        "021122334455 0266778899aa 8100 0064 0800 | 45 00 0020 0001 0000 40 01 66da 0a000001 0a000002 | 08 00 5a60 0001 0001 deadbeef";

    /// <summary>The IPv4 frame with an S-tag (0x88A8, VID 200) and a C-tag (0x8100, VID 100): 54 bytes.</summary>
    public const string InnerV4QinQHex =
        "021122334455 0266778899aa 88a8 00c8 8100 0064 0800 | 45 00 0020 0001 0000 40 01 66da 0a000001 0a000002 | 08 00 5a60 0001 0001 deadbeef";

    /// <summary>The IPv4 frame padded to the 60-byte Ethernet minimum with 14 zero bytes after the IP packet.</summary>
    public const string InnerV4PaddedHex = InnerV4Hex + " | 0000000000000000000000000000";

    /// <summary>
    /// 47 bytes: like <see cref="InnerV4Hex"/> with one more data byte (0x42), so the IP packet has an odd length (33):
    /// total 0x0021, IPv4 checksum 0x66d9, ICMP checksum 0x1860 (the odd byte padded with zero, RFC 1071 §4.1).
    /// </summary>
    public const string InnerV4OddHex =
        "021122334455 0266778899aa 0800 | 45 00 0021 0001 0000 40 01 66d9 0a000001 0a000002 | 08 00 1860 0001 0001 deadbeef 42";

    // The golden flows' entropy, as ReferenceFlowHash derives it from the flow-hash rules (GoldenEntropyTests checks each
    // against it), never read back from the encoder.

    /// <summary>IPv6 flow label of the golden IPv4 flow (hash 0xc6e6ef6d).</summary>
    public const string V4FlowLabelHex = "6e303";
    /// <summary>IPv6 flow label of the golden IPv6 flow (hash 0xe37f822a).</summary>
    public const string V6FlowLabelHex = "f8c1d";
    /// <summary>UDP source port of the golden IPv4 flow in RFC 7348's 49152–65535: 61881.</summary>
    public const string V4PortHex = "f1b9";
    /// <summary>UDP source port of the golden IPv4 flow in Linux's 32768–60999.</summary>
    public const int V4PortLinux = 54703;
    /// <summary>UDP source port of the golden IPv6 flow in 49152–65535: 63711.</summary>
    public const string V6PortHex = "f8df";
    /// <summary>NVGRE FlowID of the golden IPv4 flow.</summary>
    public const string V4FlowIdHex = "a2";
    /// <summary>NVGRE FlowID of the golden IPv6 flow.</summary>
    public const string V6FlowIdHex = "34";
    /// <summary>NVGRE FlowID of the ARP frame (hash of its MAC addresses, 0x46612af3).</summary>
    public const string ArpFlowIdHex = "fe";

    public static byte[] InnerV4 => Hex.Parse(InnerV4Hex);
    public static byte[] InnerV6 => Hex.Parse(InnerV6Hex);

    /// <summary>The frame named in a theory: "v4", "v6", "v4-vlan", "v4-qinq", "v4-padded", "v4-odd", "arp".</summary>
    public static byte[] Named(string name) => name switch
    {
        "v4" => Hex.Parse(InnerV4Hex),
        "v6" => Hex.Parse(InnerV6Hex),
        "v4-vlan" => Hex.Parse(InnerV4VlanHex),
        "v4-qinq" => Hex.Parse(InnerV4QinQHex),
        "v4-padded" => Hex.Parse(InnerV4PaddedHex),
        "v4-odd" => Hex.Parse(InnerV4OddHex),
        "arp" => TestFrames.Arp(),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>The IP packet inside a named frame, as an L3 tunnel carries it (tags and padding dropped).</summary>
    public static byte[] IpPacketOf(string name) => name switch
    {
        "v4" or "v4-vlan" or "v4-qinq" or "v4-padded" => Hex.Parse(InnerV4Hex)[14..],
        "v4-odd" => Hex.Parse(InnerV4OddHex)[14..],
        "v6" => Hex.Parse(InnerV6Hex)[14..],
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };
}
