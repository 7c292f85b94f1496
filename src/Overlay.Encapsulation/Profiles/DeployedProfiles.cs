using System.Net;
using Overlay.Encapsulation.Geneve;
using Overlay.Encapsulation.Srv6;
using Overlay.Encapsulation.Vxlan;

namespace Overlay.Encapsulation.Profiles;

/// <summary>
/// The deployed encapsulations the suite compares with SRv6: cloud service insertion (AWS and Azure Gateway Load
/// Balancer), VMware NSX, Cilium, and the Linux kernel's own tunnels, each as its public documentation fixes it, on
/// documentation addresses (RFC 5737, RFC 3849). What a source leaves open is a placeholder, named in
/// <see cref="DeployedProfile.Assumed"/>; placeholder identifiers never change a header's length.
/// </summary>
public static class DeployedProfiles
{
    /// <summary>Amazon's GENEVE option class (IANA "Geneve Option Class" registry).</summary>
    public const ushort AwsOptionClass = 0x0108;
    /// <summary>VMware's GENEVE option class (IANA "Geneve Option Class" registry).</summary>
    public const ushort VmwareOptionClass = 0x0104;
    /// <summary>Cilium's GENEVE option class (IANA registry; bpf/lib/tunnel.h DSR_GENEVE_OPT_CLASS).</summary>
    public const ushort CiliumOptionClass = 0x014B;
    /// <summary>Cilium's DSR option type: critical (0x80) | 0x01 (bpf/lib/tunnel.h DSR_GENEVE_OPT_TYPE).</summary>
    public const byte CiliumDsrType = 0x81;
    /// <summary>A Cilium security identity as the VNI (identities of cluster-local endpoints start at 256).</summary>
    public const uint CiliumIdentity = 256;
    /// <summary>The first VNI of NSX's default overlay VNI pool (65536-75000).</summary>
    public const uint NsxVni = 65536;
    public const uint AzureInternalVni = 800;
    public const uint AzureExternalVni = 801;

    // Placeholder identifiers: the sources fix their lengths, not their values.
    private static readonly byte[] AwsEndpointId = Convert.FromHexString("0A1B2C3D4E5F6071");
    private static readonly byte[] AwsAttachmentId = Convert.FromHexString("8192A3B4C5D6E7F8");
    private static readonly byte[] AwsFlowCookie = Convert.FromHexString("13579BDF");

    private static readonly ProfileSource AwsGuide = new("AWS, Elastic Load Balancing: Gateway Load Balancers (GENEVE on port 6081; an IPv4 GENEVE header for IPv4 and IPv6 clients; 68 bytes added to the original packet)",
        "https://docs.aws.amazon.com/elasticloadbalancing/latest/gateway/gateway-load-balancers.html");
    private static readonly ProfileSource AwsBlog = new("AWS Networking & Content Delivery blog: Integrate your custom logic or appliance with AWS Gateway Load Balancer (the three GWLB TLVs of option class 0x0108)",
        "https://aws.amazon.com/blogs/networking-and-content-delivery/integrate-your-custom-logic-or-appliance-with-aws-gateway-load-balancer/");
    private static readonly ProfileSource AzureOverview = new("Microsoft Learn: New-AzLoadBalancerBackendAddressPoolTunnelInterfaceConfig (Gateway Load Balancer tunnel interfaces: protocol VXLAN, type Internal/External, port, identifier)",
        "https://learn.microsoft.com/en-us/powershell/module/az.network/new-azloadbalancerbackendaddresspooltunnelinterfaceconfig");
    private static readonly ProfileSource AzureDefaults = new("Trellix: fe-fastpath vxlan / show fe-fastpath vxlan config (Azure Gateway Load Balancer defaults: internal port 10800 identifier 800, external port 10801 identifier 801)",
        "https://docs.trellix.com/network-and-platform/docs/show-fe-fastpath-vxlan-config.md");
    private static readonly ProfileSource NsxMtu = new("VMware Communities, Network Readiness part 1: NSX-T needs an underlay MTU of 1600 at least, 1700 recommended for an expanding Geneve header",
        "https://communities.vmware.com/people/oziltener/blog/2020/03/23/network-readiness-part-1-physical-network-mtu");
    private static readonly ProfileSource NsxCapture = new("networknative: VXLAN versus GENEVE (NSX-V vs. NSX-T): NSX-T's GENEVE on UDP 6081 with a 16-byte GENEVE header",
        "https://networknative.blogspot.com/2021/08/vxlan-versus-geneve-nsx-v-vs-nsx-t.html");
    private static readonly ProfileSource GeneveClasses = new("IANA: Network Virtualization Overlay (NVO3) registry, Geneve Option Class (0x0104 VMware, 0x0108 Amazon, 0x014B Cilium)",
        "https://www.iana.org/assignments/nvo3/nvo3.xhtml#geneve-option-class");
    private static readonly ProfileSource CiliumMtu = new("Cilium pkg/mtu: TunnelOverhead 50 B (outer IPv4 20 + UDP 8 + VXLAN/GENEVE 8 + inner Ethernet 14), DsrTunnelOverhead 12 B (the GENEVE DSR option)",
        "https://pkg.go.dev/github.com/cilium/cilium/pkg/mtu");
    private static readonly ProfileSource CiliumPorts = new("Cilium documentation, System Requirements, firewall rules: VXLAN overlay on UDP 8472 (the Linux kernel default), Geneve on UDP 6081",
        "https://docs.cilium.io/en/latest/operations/system_requirements/");
    private static readonly ProfileSource CiliumDsr = new("Cilium bpf/lib/tunnel.h: DSR_GENEVE_OPT_CLASS 0x014B, DSR_GENEVE_OPT_TYPE (GENEVE_OPT_TYPE_CRIT | 0x01), the IPv4 service address and port",
        "https://github.com/cilium/cilium/blob/main/bpf/lib/tunnel.h");
    private static readonly ProfileSource KernelVectors = new("This repository: tests/data/kernel-vectors (kernel-vxlan4.json, kernel-srv6-*.json): what Linux 6.18 writes in every outer field",
        "tests/data/kernel-vectors/README.md");
    private static readonly ProfileSource LinuxVxlanDoc = new("Linux kernel documentation: Virtual eXtensible Local Area Networking (VXLAN)",
        "https://docs.kernel.org/networking/vxlan.html");
    private static readonly ProfileSource LinuxSeg6Doc = new("ip-route(8), ENCAP_SEG6: seg6 mode encap encapsulates the packet in an outer IPv6 header with an SRH (iproute2 man page patch, netdev)",
        "https://mail-archive.com/netdev@vger.kernel.org/msg185532.html");
    private static readonly ProfileSource Rfc9800 = new("RFC 9800: Compressed SRv6 Segment List Encoding (NEXT-C-SID flavor; §4.1 the F3216 format: 32-bit locator block, 16-bit C-SIDs)",
        "https://www.rfc-editor.org/rfc/rfc9800.html");

    /// <summary>Every profile, in the order `overlay variants --profiles` lists them.</summary>
    public static IReadOnlyList<DeployedProfile> All { get; } = Build();

    /// <summary>Every profile name, for messages that list what is accepted.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(p => p.Name).ToArray();

    /// <summary>The Linux seg6 headend on its defaults: its flow label is copied from an IPv6 inner packet and 0 for an IPv4 one.</summary>
    public const string LinuxSeg6 = "linux-seg6";

    /// <summary>The profile called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static DeployedProfile? Find(string name) => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A profile's tunnel by its own name (case-insensitive), or null.</summary>
    public static VariantSpec? FindTunnel(string name) =>
        All.SelectMany(p => p.Legs).FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A catalogue variant or a profile's tunnel by name, or null: every name the suite builds an encapsulator for.</summary>
    public static VariantSpec? FindVariantOrTunnel(string name) => VariantCatalog.Find(name) ?? FindTunnel(name);

    /// <summary>AWS GWLB's GENEVE options: endpoint ID (type 1, 8 bytes), attachment ID (type 2, 8 bytes), flow cookie (type 3, 4 bytes).</summary>
    public static IReadOnlyList<GeneveOption> AwsGwlbOptions() =>
    [
        new GeneveOption(AwsOptionClass, 1, AwsEndpointId),
        new GeneveOption(AwsOptionClass, 2, AwsAttachmentId),
        new GeneveOption(AwsOptionClass, 3, AwsFlowCookie),
    ];

    /// <summary>Cilium's DSR option: the IPv4 service address, its port and two bytes of padding (8 bytes of data, 12 with the option header).</summary>
    public static GeneveOption CiliumDsrOption(IPAddress service, ushort port)
    {
        byte[] data = new byte[8];
        service.GetAddressBytes().CopyTo(data, 0);
        data[4] = (byte)(port >> 8);
        data[5] = (byte)port;
        return new GeneveOption(CiliumOptionClass, CiliumDsrType, data);
    }

    /// <summary>The Linux kernel's VXLAN as the kernel vectors pin it: UDP checksum on, source ports 32768-60999, TTL 64, DF clear, flow label 0.</summary>
    public static Underlay LinuxVxlanUnderlay() => Underlay.Ipv4() with
    {
        UdpChecksum = UdpChecksumPolicy.On,
        SourcePorts = PortRange.Linux,
        FlowLabel = FlowLabelPolicy.Zero,
    };

    /// <summary>Linux seg6 as the kernel vectors pin it: hop limit and traffic class from an IPv6 inner, flow label copied from it.</summary>
    public static Underlay LinuxSeg6Underlay() => Underlay.Ipv6(destination: null) with
    {
        HopLimit = HopLimitPolicy.FromInnerIpv6(64),
        Dscp = DscpPolicy.FromInnerIpv6(),
        FlowLabel = FlowLabelPolicy.FromInner,
    };

    private static List<DeployedProfile> Build()
    {
        const string service = "one service and the egress as the two segments";
        VariantSpec azureInternal = new("azure-gwlb-internal", "Azure Gateway Load Balancer, internal tunnel: VXLAN/IPv4, UDP 10800, VNI 800",
            () => new VxlanEncapsulator(Underlay.Ipv4(), AzureInternalVni, DeployedPorts.AzureGwlbInternal));
        VariantSpec azureExternal = new("azure-gwlb-external", "Azure Gateway Load Balancer, external tunnel: VXLAN/IPv4, UDP 10801, VNI 801",
            () => new VxlanEncapsulator(Underlay.Ipv4(), AzureExternalVni, DeployedPorts.AzureGwlbExternal));
        string azureDocumented = "VXLAN tunnel interfaces of type Internal and External, each with a port and an identifier (the VNI); the defaults internal 10800/800 and external 10801/801; the appliance receives the Ethernet frame.";
        string azureAssumed = "IPv4 underlay on documentation addresses; UDP source port from the inner flow hash in 49152-65535 and UDP checksum zero (RFC 7348 §5), as Azure does not document them.";
        return
        [
            new DeployedProfile
            {
                Name = "aws-gwlb",
                Description = "AWS Gateway Load Balancer: GENEVE/IPv4, UDP 6081, IP payload, three TLVs of class 0x0108 (68 B added to the IP packet)",
                Sources = [AwsGuide, AwsBlog, GeneveClasses],
                Documented = "GENEVE on UDP 6081 over IPv4 for IPv4 and IPv6 clients; the client's IP packet as payload (protocol type 0x0800/0x86DD); option class 0x0108 with TLV type 1 the 8-byte GWLB endpoint (VPCE) ID, type 2 the 8-byte attachment ID, type 3 the 4-byte flow cookie; 68 bytes added to the original packet (IPv4 20 + UDP 8 + GENEVE 8 + options 32).",
                Assumed = "VNI 0; the three TLVs not critical; the identifier and cookie values (placeholders); UDP source port from the inner flow hash in 49152-65535 and UDP checksum zero (RFC 8926 §3.3); DF clear.",
                Legs = DeployedProfile.Single("aws-gwlb", "AWS Gateway Load Balancer: GENEVE/IPv4, IP payload, three 0x0108 TLVs",
                    () => new GeneveEncapsulator(Underlay.Ipv4(), new GeneveOptions { Vni = 0, Mode = PayloadMode.L3, Options = AwsGwlbOptions() })),
            },
            new DeployedProfile
            {
                Name = azureInternal.Name, Description = azureInternal.Description,
                Sources = [AzureOverview, AzureDefaults], Documented = azureDocumented, Assumed = azureAssumed, Legs = [azureInternal],
            },
            new DeployedProfile
            {
                Name = azureExternal.Name, Description = azureExternal.Description,
                Sources = [AzureOverview, AzureDefaults], Documented = azureDocumented, Assumed = azureAssumed, Legs = [azureExternal],
            },
            new DeployedProfile
            {
                Name = "azure-gwlb-pair",
                Description = "Azure Gateway Load Balancer as one service hop: in through the internal tunnel (10800/800), out through the external (10801/801)",
                Sources = [AzureOverview, AzureDefaults], Documented = azureDocumented, Assumed = azureAssumed, Legs = [azureInternal, azureExternal],
            },
            new DeployedProfile
            {
                Name = "nsx-geneve",
                Description = "VMware NSX-T overlay: GENEVE/IPv4, UDP 6081, Ethernet payload, one 8-byte VMware option (16-byte GENEVE header)",
                Sources = [NsxMtu, NsxCapture, GeneveClasses],
                Documented = "GENEVE on UDP 6081 between TEPs, carrying the VM's Ethernet frame; an underlay MTU of 1600 at least, 1700 recommended for a growing GENEVE header; a 16-byte GENEVE header (8 fixed + 8 of options) on the wire; VMware's option class 0x0104.",
                Assumed = "The 16 bytes as one option of class 0x0104, type 0x01 (not critical), with 4 bytes of data: VMware does not publish the option's type or contents; VNI 65536 (the first of NSX's default VNI pool 65536-75000); IPv4 TEPs; UDP source port from the inner flow hash, UDP checksum zero.",
                Legs = DeployedProfile.Single("nsx-geneve", "VMware NSX-T: GENEVE/IPv4, Ethernet payload, one 8-byte option of class 0x0104",
                    () => new GeneveEncapsulator(Underlay.Ipv4(), new GeneveOptions { Vni = NsxVni, Options = [new GeneveOption(VmwareOptionClass, 0x01, new byte[4])] })),
            },
            new DeployedProfile
            {
                Name = "cilium-vxlan",
                Description = "Cilium tunnel mode, VXLAN: UDP 8472, VNI = the source security identity, Linux's VXLAN device",
                Sources = [CiliumPorts, CiliumMtu, KernelVectors],
                Documented = "VXLAN on UDP 8472; 50 bytes of tunnel overhead (outer IPv4 20, UDP 8, VXLAN 8, inner Ethernet 14); the source endpoint's security identity in the VNI.",
                Assumed = "Identity 256; the Linux VXLAN device's outer fields as the kernel vectors pin them (UDP checksum on, source ports 32768-60999, TTL 64, DF clear).",
                Legs = DeployedProfile.Single("cilium-vxlan", "Cilium VXLAN: UDP 8472, VNI = security identity",
                    () => new VxlanEncapsulator(LinuxVxlanUnderlay(), CiliumIdentity, DeployedPorts.LinuxVxlan)),
            },
            new DeployedProfile
            {
                Name = "cilium-geneve",
                Description = "Cilium tunnel mode, GENEVE: UDP 6081, Ethernet payload, VNI = the source security identity, no options",
                Sources = [CiliumPorts, CiliumMtu],
                Documented = "GENEVE on UDP 6081; the same 50 bytes of tunnel overhead as VXLAN when no option is sent; the security identity in the VNI.",
                Assumed = "Identity 256; the Linux GENEVE device's outer fields as for cilium-vxlan (UDP checksum on, source ports 32768-60999).",
                Legs = DeployedProfile.Single("cilium-geneve", "Cilium GENEVE: UDP 6081, VNI = security identity, no options",
                    () => new GeneveEncapsulator(LinuxVxlanUnderlay(), new GeneveOptions { Vni = CiliumIdentity })),
            },
            new DeployedProfile
            {
                Name = "cilium-geneve-dsr",
                Description = "Cilium GENEVE with its DSR option: class 0x014B, critical type 0x81, the service's IPv4 address and port (12 B)",
                Sources = [CiliumDsr, CiliumMtu, GeneveClasses],
                Documented = "The load balancer inserts one GENEVE option of class 0x014B, type 0x81 (critical | 0x01), with 8 bytes of data (IPv4 service address 4, port 2, padding 2): DsrTunnelOverhead 12 bytes.",
                Assumed = "Service 198.51.100.53 port 80 (placeholders); the outer fields as cilium-geneve.",
                Legs = DeployedProfile.Single("cilium-geneve-dsr", "Cilium GENEVE with the 12-byte DSR option",
                    () => new GeneveEncapsulator(LinuxVxlanUnderlay(), new GeneveOptions { Vni = CiliumIdentity, Options = [CiliumDsrOption(IPAddress.Parse("198.51.100.53"), 80)] })),
            },
            new DeployedProfile
            {
                Name = "linux-vxlan",
                Description = "The Linux kernel's VXLAN device as `ip link add … type vxlan id 4242 dstport 4789` builds it (the kernel vectors)",
                Sources = [KernelVectors, LinuxVxlanDoc],
                Documented = "Recorded from Linux 6.18: UDP 4789 as configured, UDP checksum computed, source port from the flow hash in 32768-60999 (ip_local_port_range), TTL 64, DF clear, VNI 4242.",
                Legs = DeployedProfile.Single("linux-vxlan", "Linux VXLAN device, kernel defaults",
                    () => new VxlanEncapsulator(LinuxVxlanUnderlay(), VariantCatalog.DefaultVni)),
            },
            new DeployedProfile
            {
                Name = LinuxSeg6,
                Description = $"The Linux kernel's seg6 `encap seg6 mode encap` (H.Encaps with an SRH), {service}",
                Sources = [KernelVectors, LinuxSeg6Doc],
                Documented = "Recorded from Linux 6.18: an SRH with every SID (Segment List[0] the last), Segments Left n-1, the hop limit and traffic class copied from an IPv6 inner (64 and 0 for IPv4), the flow label copied from an IPv6 inner.",
                Assumed = $"The segments fc00:0:1::, fc00:0:2:: ({service}).",
                Legs = DeployedProfile.Single(LinuxSeg6, "Linux seg6 H.Encaps, two SIDs",
                    () => new Srv6Encapsulator(LinuxSeg6Underlay(), new Srv6Options { Segments = VariantCatalog.Segments(2) })),
            },
            new DeployedProfile
            {
                Name = "srv6-usid",
                Description = $"SRv6 NEXT-C-SID in the F3216 format (uSID): {service} in one container, no SRH",
                Sources = [Rfc9800],
                Documented = "A 32-bit locator block and 16-bit C-SIDs, six per 128-bit container; the first container in the destination address, so up to six segments need no SRH.",
                Assumed = $"Block fc00:0::/32, C-SIDs 1 and 2 ({service}); flow label from the inner flow hash (RFC 6437).",
                Legs = DeployedProfile.Single("srv6-usid", "SRv6 NEXT-C-SID F3216, two uSIDs",
                    () => new Srv6Encapsulator(Underlay.Ipv6(destination: null), new Srv6Options { Segments = VariantCatalog.Segments(2), CompressedSids = CompressedSidFormat.Default })),
            },
        ];
    }
}
