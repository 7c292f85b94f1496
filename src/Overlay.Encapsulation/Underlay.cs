using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Overlay.Encapsulation;

/// <summary>Which inner packets an outer field is copied from.</summary>
public enum InheritFrom
{
    /// <summary>Never: the fixed value.</summary>
    None,
    /// <summary>Any inner IPv4 or IPv6 packet.</summary>
    Ip,
    /// <summary>Only an inner IPv6 packet, as Linux seg6 does (an IPv4 inner gets the fixed value).</summary>
    Ipv6,
}

/// <summary>Outer TTL / Hop Limit: a fixed value, or copied from the inner IP packet (the fixed value otherwise).</summary>
public readonly record struct HopLimitPolicy(InheritFrom Inherit, byte Value)
{
    public static HopLimitPolicy Fixed(byte value) => new(InheritFrom.None, value);
    public static HopLimitPolicy FromInner(byte fallback = 64) => new(InheritFrom.Ip, fallback);
    public static HopLimitPolicy FromInnerIpv6(byte fallback = 64) => new(InheritFrom.Ipv6, fallback);
    public override string ToString() => Inherit switch
    {
        InheritFrom.Ip => "inherit",
        InheritFrom.Ipv6 => "inherit-ipv6",
        _ => Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// Outer DSCP: fixed, or copied from the inner packet. The ECN bits are always copied from an inner IP packet,
/// as the "normal mode" of RFC 6040 §4.1 requires of an encapsulator.
/// </summary>
public readonly record struct DscpPolicy(InheritFrom Inherit, byte Value)
{
    public static DscpPolicy Fixed(byte dscp) => new(InheritFrom.None, dscp);
    public static DscpPolicy FromInner() => new(InheritFrom.Ip, 0);
    public static DscpPolicy FromInnerIpv6() => new(InheritFrom.Ipv6, 0);
    public override string ToString() => Inherit switch
    {
        InheritFrom.Ip => "inherit",
        InheritFrom.Ipv6 => "inherit-ipv6",
        _ => Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

public enum FlowLabelKind
{
    /// <summary>The inner flow's hash (RFC 6437 §3, RFC 6438): entropy for an ECMP underlay.</summary>
    Hash,
    /// <summary>Always 0, as Linux VXLAN sends by default.</summary>
    Zero,
    /// <summary>One configured value for every packet.</summary>
    Fixed,
    /// <summary>Copied from an inner IPv6 packet, 0 otherwise, as Linux seg6 does.</summary>
    Inherit,
}

/// <summary>What an IPv6 underlay writes into the flow label.</summary>
public readonly record struct FlowLabelPolicy(FlowLabelKind Kind, uint Value)
{
    public static FlowLabelPolicy Hash => new(FlowLabelKind.Hash, 0);
    public static FlowLabelPolicy Zero => new(FlowLabelKind.Zero, 0);
    public static FlowLabelPolicy FromInner => new(FlowLabelKind.Inherit, 0);
    public static FlowLabelPolicy Fixed(uint value) => new(FlowLabelKind.Fixed, value);
    public override string ToString() => Kind switch
    {
        FlowLabelKind.Fixed => Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => Kind.ToString().ToLowerInvariant(),
    };
}

public enum UdpChecksumPolicy
{
    /// <summary>Zero over IPv4 (RFC 7348 §5, RFC 8926 §3.3), computed over IPv6 (RFC 8200 §8.1).</summary>
    Default,
    On,
    /// <summary>Zero on both; over IPv6 only tunnels may do this (RFC 6935, RFC 6936).</summary>
    Off,
}

/// <summary>An inclusive range of UDP source ports for the entropy the flow hash gives.</summary>
public readonly record struct PortRange(ushort Min, ushort Max)
{
    /// <summary>RFC 7348 §5's recommendation, the dynamic/private range.</summary>
    public static PortRange Rfc7348 => new(49152, 65535);
    /// <summary>Linux's default net.ipv4.ip_local_port_range, which its VXLAN driver uses.</summary>
    public static PortRange Linux => new(32768, 60999);
    public override string ToString() => $"{Min}-{Max}";
}

/// <summary>
/// The outer Ethernet and IP headers of a tunnel, and the per-packet policies for their variable fields.
/// The address family of <see cref="Source"/> chooses the underlay.
/// </summary>
public sealed record Underlay
{
    public static readonly PhysicalAddress DefaultSourceMac = PhysicalAddress.Parse("02-00-5E-00-00-01");
    public static readonly PhysicalAddress DefaultDestinationMac = PhysicalAddress.Parse("02-00-5E-00-00-02");

    /// <summary>The outer source address; its family (IPv4 or IPv6) is the underlay's.</summary>
    public required IPAddress Source { get; init; }

    /// <summary>The outer destination: the remote tunnel endpoint. SRv6 leaves it null: its destination is the first segment.</summary>
    public IPAddress? Destination { get; init; }

    public PhysicalAddress SourceMac { get; init; } = DefaultSourceMac;
    public PhysicalAddress DestinationMac { get; init; } = DefaultDestinationMac;
    public HopLimitPolicy HopLimit { get; init; } = HopLimitPolicy.Fixed(64);
    public DscpPolicy Dscp { get; init; } = DscpPolicy.Fixed(0);
    /// <summary>The IPv4 Don't Fragment bit. Clear by default, as Linux sends tunnel packets.</summary>
    public bool DontFragment { get; init; }
    public UdpChecksumPolicy UdpChecksum { get; init; } = UdpChecksumPolicy.Default;
    public PortRange SourcePorts { get; init; } = PortRange.Rfc7348;
    public FlowLabelPolicy FlowLabel { get; init; } = FlowLabelPolicy.Hash;

    public bool IsIpv6 => Source.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>4 or 6.</summary>
    public int IpVersion => IsIpv6 ? 6 : 4;

    /// <summary>Whether UDP checksums are computed over this underlay.</summary>
    public bool ComputesUdpChecksum => UdpChecksum switch
    {
        UdpChecksumPolicy.On => true,
        UdpChecksumPolicy.Off => false,
        _ => IsIpv6,
    };

    public static Underlay Ipv4(string source = "192.0.2.1", string destination = "198.51.100.1") =>
        new() { Source = IPAddress.Parse(source), Destination = IPAddress.Parse(destination) };

    public static Underlay Ipv6(string source = "2001:db8::1", string? destination = "2001:db8::2") =>
        new() { Source = IPAddress.Parse(source), Destination = destination is null ? null : IPAddress.Parse(destination) };

    /// <summary>Checks everything that does not depend on the protocol; throws <see cref="ArgumentException"/> naming the field.</summary>
    internal void Validate(bool needsDestination)
    {
        if (Source.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentException($"Underlay source {Source} is neither IPv4 nor IPv6.", nameof(Source));
        }
        if (needsDestination)
        {
            if (Destination is null)
            {
                throw new ArgumentException("The underlay needs a destination address (the remote tunnel endpoint).", nameof(Destination));
            }
            if (Destination.AddressFamily != Source.AddressFamily)
            {
                throw new ArgumentException($"Underlay source {Source} and destination {Destination} are of different address families.", nameof(Destination));
            }
        }
        if (SourceMac.GetAddressBytes().Length != 6 || DestinationMac.GetAddressBytes().Length != 6)
        {
            throw new ArgumentException("Outer MAC addresses must be 6 bytes.", nameof(SourceMac));
        }
        if (Dscp.Value > 63)
        {
            throw new ArgumentException($"DSCP {Dscp.Value} is out of range 0..63.", nameof(Dscp));
        }
        if (HopLimit.Value == 0)
        {
            throw new ArgumentException("A TTL / hop limit of 0 would be dropped by the first router.", nameof(HopLimit));
        }
        if (SourcePorts.Min > SourcePorts.Max || SourcePorts.Min == 0)
        {
            throw new ArgumentException($"UDP source-port range {SourcePorts} is empty or includes port 0.", nameof(SourcePorts));
        }
        if (FlowLabel.Value > Headers.Ipv6.FlowLabelMask)
        {
            throw new ArgumentException($"Flow label {FlowLabel.Value} does not fit in 20 bits.", nameof(FlowLabel));
        }
    }
}
