using Overlay.Encapsulation.Headers;

namespace Overlay.Encapsulation.Profiles;

/// <summary>
/// UDP destination ports on which deployed stacks run VXLAN besides IANA's 4789, so the decoder recognises their
/// packets: Linux's pre-IANA default 8472 (the port Cilium and Flannel keep) and Azure Gateway Load Balancer's default
/// tunnel ports 10800 (internal) and 10801 (external).
/// </summary>
public static class DeployedPorts
{
    public const ushort LinuxVxlan = 8472;
    public const ushort AzureGwlbInternal = 10800;
    public const ushort AzureGwlbExternal = 10801;

    /// <summary>Whether a datagram to <paramref name="port"/> carries VXLAN.</summary>
    public static bool IsVxlan(ushort port) => port is Udp.VxlanPort or LinuxVxlan or AzureGwlbInternal or AzureGwlbExternal;
}
