#!/usr/bin/env python3
"""Helper of scripts/record-kernel-vectors.sh (standard library only).

  kernel-vectors.py send PLAN [--dst4 ADDR] [--dst6 ADDR]
      Sends the inner traffic of one vector from the namespace it runs in and prints how many datagrams it sent.
      PLAN: vxlan (IPv4 and IPv6 overlay), srv6-v6 (IPv6 inner), srv6-v4 (IPv4 inner).
  kernel-vectors.py pair --inner PCAP --encap PCAP --expect N --out DIR --name NAME --protocol vxlan|srv6 ...
      Pairs the frames captured before and after the kernel encapsulated them, one for one and in order, writes
      DIR/kernel-NAME-inner.pcap, DIR/kernel-NAME-encap.pcap and DIR/kernel-NAME.json (what the kernel was
      configured with and what it was observed to write). Exits 1 if the pairs are not exactly the frames sent.
"""

import argparse
import ipaddress
import json
import socket
import struct
import sys
import time
from collections import Counter, defaultdict

# --- send ------------------------------------------------------------------------------------------------------------

GAP = 0.02         # between datagrams: the captures keep the order they were sent in
RESOLVE = 0.3      # after the first datagram of a family: the kernel resolves the neighbour (ARP / NS)
DISCARD_PORT = 9   # nothing listens there; the datagrams only have to leave
IPV6_AUTOFLOWLABEL = 70  # <linux/in6.h>; not every Python names it


def payload(size, seed):
    return bytes((seed + i) & 0xFF for i in range(size))


class Sender:
    def __init__(self):
        self.sent = 0
        self.resolved = set()

    def _after(self, family):
        self.sent += 1
        time.sleep(GAP if family in self.resolved else RESOLVE)
        self.resolved.add(family)

    def ping(self, family, dst, ident, sizes):
        """One ICMP echo socket per flow (Linux ping socket: the kernel sets the identifier and the checksum)."""
        proto, echo = (socket.IPPROTO_ICMP, 8) if family == socket.AF_INET else (socket.IPPROTO_ICMPV6, 128)
        with socket.socket(family, socket.SOCK_DGRAM, proto) as s:
            s.bind(("0.0.0.0" if family == socket.AF_INET else "::", ident))
            for seq, size in enumerate(sizes, 1):
                s.sendto(struct.pack("!BBHHH", echo, 0, 0, ident, seq) + payload(size, seq), (dst, 0))
                self._after(family)

    def udp(self, family, dst, sport, sizes, hops=None, tos=None, flowlabel=True):
        """One UDP socket per flow, so the kernel's per-socket hash (hence the VXLAN source port) is one per flow."""
        with socket.socket(family, socket.SOCK_DGRAM) as s:
            if family == socket.AF_INET:
                if hops is not None:
                    s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, hops)
                if tos is not None:
                    s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, tos)
                s.bind(("0.0.0.0", sport))
            else:
                if hops is not None:
                    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_UNICAST_HOPS, hops)
                if tos is not None:
                    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_TCLASS, tos)
                if not flowlabel:
                    s.setsockopt(socket.IPPROTO_IPV6, IPV6_AUTOFLOWLABEL, 0)
                s.bind(("::", sport))
            for size in sizes:
                s.sendto(payload(size, sport), (dst, DISCARD_PORT))
                self._after(family)


def send(args):
    v4, v6 = socket.AF_INET, socket.AF_INET6
    out = Sender()
    if args.plan == "vxlan":
        # Ethernet in VXLAN: IPv4 and IPv6 (the first of each triggers ARP / NS, which the kernel also encapsulates),
        # frames from 42 to 4042 bytes, several flows, and one flow per family with TTL 50 and DSCP EF.
        out.ping(v4, args.dst4, 1, [0, 56, 1000, 1472, 4000])
        for sport in (40000, 40001, 40002, 50000, 60000):
            out.udp(v4, args.dst4, sport, [0, 1, 100, 1200])
        out.ping(v6, args.dst6, 2, [8, 56, 1400])
        for sport in (40000, 40001, 40002):
            out.udp(v6, args.dst6, sport, [1, 200])
        out.udp(v4, args.dst4, 41000, [10], hops=50, tos=0xB8)
        out.udp(v6, args.dst6, 41000, [10], hops=50, tos=0xB8)
    elif args.plan == "srv6-v6":
        # IPv6 inner: hop limit, traffic class and flow label are copied to the outer header, so they vary here.
        out.ping(v6, args.dst6, 4, [8, 56, 1000, 1400])
        for sport in (40000, 40001, 40002, 50000):
            out.udp(v6, args.dst6, sport, [0, 1, 100, 1200])
        out.udp(v6, args.dst6, 41000, [10, 20], hops=50, tos=0xB8)
        out.udp(v6, args.dst6, 42000, [10, 20], hops=33, tos=0x28)
        out.udp(v6, args.dst6, 42001, [10, 20], hops=200, tos=0, flowlabel=False)
    elif args.plan == "srv6-v4":
        out.ping(v4, args.dst4, 3, [0, 56, 1000, 1400])
        for sport in (40000, 40001, 40002, 50000):
            out.udp(v4, args.dst4, sport, [0, 1, 100, 1200])
        out.udp(v4, args.dst4, 41000, [10, 20], hops=50, tos=0xB8)
    time.sleep(0.5)  # the last frames leave the queues before the captures stop
    print(out.sent)


# --- pcap ------------------------------------------------------------------------------------------------------------

LINKTYPE_ETHERNET = 1


def read_pcap(path):
    """Classic libpcap files (either byte order, µs or ns): [(seconds, fraction, bytes)] of an Ethernet capture."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise SystemExit(f"{path}: {len(data)} bytes, not a pcap file")
    magic = data[:4]
    order = {b"\xd4\xc3\xb2\xa1": "<", b"\x4d\x3c\xb2\xa1": "<", b"\xa1\xb2\xc3\xd4": ">", b"\xa1\xb2\x3c\x4d": ">"}.get(magic)
    if order is None:
        raise SystemExit(f"{path}: not a classic pcap file (magic {magic.hex()})")
    linktype = struct.unpack(order + "I", data[20:24])[0] & 0x0FFFFFFF
    if linktype != LINKTYPE_ETHERNET:
        raise SystemExit(f"{path}: link type {linktype}, expected Ethernet (1)")
    nanos = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    frames, pos = [], 24
    while pos + 16 <= len(data):
        sec, frac, caplen, length = struct.unpack(order + "IIII", data[pos:pos + 16])
        pos += 16
        if caplen != length or pos + caplen > len(data):
            raise SystemExit(f"{path}: frame {len(frames) + 1} is cut short ({caplen} of {length} bytes)")
        frames.append((sec, frac // 1000 if nanos else frac, data[pos:pos + caplen]))
        pos += caplen
    return frames


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, LINKTYPE_ETHERNET))
        for sec, usec, frame in frames:
            f.write(struct.pack("<IIII", sec, usec, len(frame), len(frame)))
            f.write(frame)


# --- frame parsing ---------------------------------------------------------------------------------------------------

ETH_IPV4, ETH_IPV6, ETH_ARP = 0x0800, 0x86DD, 0x0806


def mac(b):
    return ":".join(f"{x:02x}" for x in b)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def inner_ip(frame):
    """(version, hop limit / TTL, TOS / traffic class, flow label) of an Ethernet frame's IP header, None if not IP."""
    etype = struct.unpack("!H", frame[12:14])[0]
    ip = frame[14:]
    if etype == ETH_IPV4:
        return 4, ip[8], ip[1], None
    if etype == ETH_IPV6:
        word = struct.unpack("!I", ip[:4])[0]
        return 6, ip[7], (word >> 20) & 0xFF, word & 0xFFFFF
    return None


def flow_key(frame):
    """The inner flow as KernelVectorTests.FlowKey reads it: EtherType, addresses, protocol, TCP/UDP ports; MACs if not IP."""
    etype = struct.unpack("!H", frame[12:14])[0]
    ip = frame[14:]
    if etype == ETH_IPV4:
        addresses, proto, l4 = ip[12:20], ip[9], (ip[0] & 0x0F) * 4
    elif etype == ETH_IPV6:
        addresses, proto, l4 = ip[8:40], ip[6], 40
    else:
        addresses, proto, l4 = frame[0:12], 0, -1
    ports = ip[l4:l4 + 4].hex() if proto in (6, 17) else ""
    return f"{etype:04x}/{addresses.hex()}/{proto}/{ports}"


def is_resolution(frame):
    """ARP, or ICMPv6 neighbour discovery: sent by the kernel on its own, not by the traffic plan."""
    etype = struct.unpack("!H", frame[12:14])[0]
    return etype == ETH_ARP or (etype == ETH_IPV6 and frame[20] == 58 and 133 <= frame[54] <= 137)


class Outer:
    """The outer headers of one encapsulated frame."""

    def __init__(self, frame, protocol):
        self.frame = frame
        self.eth_dst, self.eth_src = mac(frame[0:6]), mac(frame[6:12])
        etype = struct.unpack("!H", frame[12:14])[0]
        self.srh = None
        if etype == ETH_IPV4:
            ip = frame[14:]
            ihl = (ip[0] & 0x0F) * 4
            self.version, self.hops, self.tos, self.flowlabel = 4, ip[8], ip[1], None
            self.df = (ip[6] >> 6) & 1
            self.ip_id = struct.unpack("!H", ip[4:6])[0]
            self.ip_checksum_good = checksum(ip[:ihl]) == 0xFFFF
            self.src, self.dst = str(ipaddress.IPv4Address(ip[12:16])), str(ipaddress.IPv4Address(ip[16:20]))
            proto, pos = ip[9], 14 + ihl
        elif etype == ETH_IPV6:
            word = struct.unpack("!I", frame[14:18])[0]
            self.version, self.hops, self.tos, self.flowlabel = 6, frame[21], (word >> 20) & 0xFF, word & 0xFFFFF
            self.src = str(ipaddress.IPv6Address(frame[22:38]))
            self.dst = str(ipaddress.IPv6Address(frame[38:54]))
            proto, pos = frame[20], 54
        else:
            raise ValueError(f"outer EtherType 0x{etype:04x} is neither IPv4 nor IPv6")
        self.next_header = proto
        if protocol == "vxlan":
            if proto != 17:
                raise ValueError(f"outer protocol {proto}, not UDP")
            self.udp = pos
            self.sport, self.dport, _, self.udp_checksum = struct.unpack("!HHHH", frame[pos:pos + 8])
            self.vxlan_flags = struct.unpack("!H", frame[pos + 8:pos + 10])[0]
            self.vni = struct.unpack("!I", frame[pos + 12:pos + 16])[0] >> 8
            self.payload = frame[pos + 16:]
        else:
            if proto == 43:
                nh, hdrlen, rtype, segleft, last, flags = frame[pos:pos + 6]
                if rtype != 4:
                    raise ValueError(f"routing header type {rtype}, not an SRH (4)")
                segments = [str(ipaddress.IPv6Address(frame[pos + 8 + 16 * i:pos + 24 + 16 * i])) for i in range(last + 1)]
                self.srh = dict(nh=nh, segleft=segleft, last=last, flags=flags, tag=frame[pos + 6:pos + 8].hex(), segments=segments)
                proto, pos = nh, pos + (hdrlen + 1) * 8
            self.payload_nh = proto
            self.payload = frame[pos:]

    def udp_checksum_valid(self):
        f, udp = self.frame, self.udp
        length = len(f) - udp
        if self.version == 4:
            pseudo = f[26:34] + struct.pack("!BBH", 0, 17, length)
        else:
            pseudo = f[22:54] + struct.pack("!IxxxB", length, 17)
        return checksum(pseudo + f[udp:]) == 0xFFFF


def relation(inner, outer):
    """How the outer IPv6 flow label relates to the inner frame's."""
    if inner is None:
        return "no_inner_ip_outer_zero" if outer.flowlabel == 0 else "no_inner_ip_outer_nonzero"
    if inner[0] == 4:
        return "ipv4_inner_outer_zero" if outer.flowlabel == 0 else "ipv4_inner_outer_nonzero"
    if inner[3] == outer.flowlabel:
        return "equal_nonzero" if inner[3] else "inner_zero_outer_zero"
    return "different"


def observe(protocol, pairs):
    outers = [o for _, o in pairs]
    inners = [inner_ip(i[2]) for i, _ in pairs]
    lengths = [len(o.frame) for o in outers]

    def values(attr):
        return sorted({str(getattr(o, attr)) for o in outers})

    def transition(inner, field, outer_value, fmt):
        if inner is None:
            return f"no-inner-IP->{fmt(outer_value)}"
        return f"v{inner[0]} {fmt(inner[field])}->{fmt(outer_value)}"

    def hexbyte(v):
        return f"0x{v:02x}"

    obs = {
        "frames": len(pairs),
        "frame_len_min": min(lengths),
        "frame_len_max": max(lengths),
        "outer_eth_src": values("eth_src"),
        "outer_eth_dst": values("eth_dst"),
        "outer_src": values("src"),
        "outer_dst": values("dst"),
        "hop_inner_to_outer": sorted({transition(i, 1, o.hops, str) for i, o in zip(inners, outers)}),
        "tos_inner_to_outer": sorted({transition(i, 2, o.tos, hexbyte) for i, o in zip(inners, outers)}),
    }
    if outers[0].version == 4:
        ids = [o.ip_id for o in outers]
        obs["outer_df"] = values("df")
        obs["outer_ip_checksum_good"] = sum(o.ip_checksum_good for o in outers)
        obs["outer_ip_id_first"] = ids[:6]
        obs["outer_ip_id_unique"] = len(set(ids))
    else:
        obs["flowlabel_relation"] = dict(sorted(Counter(relation(i, o) for i, o in zip(inners, outers)).items()))
        obs["outer_flowlabel_values"] = len({o.flowlabel for o in outers})
    if protocol == "vxlan":
        sports = defaultdict(set)
        for (_, _, frame), o in pairs:
            sports[flow_key(frame)].add(o.sport)
        all_sports = [o.sport for o in outers]
        obs.update({
            "inner_flows": len(sports),
            "inner_flows_with_one_sport": sum(len(s) == 1 for s in sports.values()),
            "inner_flows_with_several_sports": sorted(k for k, s in sports.items() if len(s) > 1),
            "udp_checksum_nonzero_valid": sum(o.udp_checksum != 0 and o.udp_checksum_valid() for o in outers),
            "udp_checksum_zero": sum(o.udp_checksum == 0 for o in outers),
            "udp_dport": values("dport"),
            "udp_sport_min": min(all_sports),
            "udp_sport_max": max(all_sports),
            "udp_sport_unique": len(set(all_sports)),
            "vxlan_flags": sorted({f"0x{o.vxlan_flags:04x}" for o in outers}),
            "vxlan_vni": values("vni"),
        })
    else:
        srhs = [o.srh for o in outers if o.srh]
        obs.update({
            "outer_next_header": values("next_header"),
            "srh_present_frames": len(srhs),
            "srh_flags": sorted({f"0x{s['flags']:02x}" for s in srhs}),
            "srh_last_entry": sorted({str(s["last"]) for s in srhs}),
            "srh_nh": sorted({str(s["nh"]) for s in srhs}),
            "srh_segleft": sorted({str(s["segleft"]) for s in srhs}),
            "srh_segment_list": sorted({",".join(s["segments"]) for s in srhs}),
            "srh_tag": sorted({s["tag"] for s in srhs}),
        })
    return obs


# --- pair ------------------------------------------------------------------------------------------------------------


def expected_payload(frame, l3):
    return frame[14:] if l3 else frame


def pair(args):
    inners, encaps = read_pcap(args.inner), read_pcap(args.encap)
    l3 = args.protocol == "srv6" and args.seg6_mode in ("encap", "encap.red")
    problems, pairs, skipped_inner, skipped_encap = [], [], [], []
    next_inner = 0
    for k, (sec, usec, frame) in enumerate(encaps, 1):
        try:
            outer = Outer(frame, args.protocol)
        except (ValueError, IndexError, struct.error) as e:
            skipped_encap.append(f"encapsulated frame {k}: {e}")
            continue
        for j in range(next_inner, len(inners)):
            if expected_payload(inners[j][2], l3) == outer.payload:
                skipped_inner.extend(inners[next_inner:j])
                pairs.append((inners[j], outer))
                next_inner = j + 1
                break
        else:
            skipped_encap.append(f"encapsulated frame {k} ({len(frame)} bytes) carries no captured inner frame")
    skipped_inner.extend(inners[next_inner:])
    sent = [p for p in pairs if not is_resolution(p[0][2])]
    for i in skipped_inner:
        what = f"inner frame of {len(i[2])} bytes, flow {flow_key(i[2])}: no encapsulated copy"
        if is_resolution(i[2]):  # ARP/ND the kernel sent on its own may fall outside a capture: left out, no harm
            print(f"kernel-vectors: {args.name}: left out {what}", file=sys.stderr)
        else:
            problems.append(what)
    for what in skipped_encap:
        print(f"kernel-vectors: {args.name}: left out {what}", file=sys.stderr)
    if len(sent) != args.expect:
        problems.append(f"{len(sent)} of the {args.expect} datagrams sent were captured before and after encapsulation")
    if problems:
        for p in problems:
            print(f"kernel-vectors: {args.name}: {p}", file=sys.stderr)
        return 1

    inner_name, encap_name = f"kernel-{args.name}-inner.pcap", f"kernel-{args.name}-encap.pcap"
    write_pcap(f"{args.out}/{inner_name}", [i for i, _ in pairs])
    write_pcap(f"{args.out}/{encap_name}", [(i[0], i[1], o.frame) for i, o in pairs])
    vector = {
        "protocol": args.protocol,
        "inner_pcap": inner_name,
        "encap_pcap": encap_name,
        "kernel": args.kernel,
        "iproute2": args.iproute2,
        "observed": observe(args.protocol, pairs),
    }
    if args.protocol == "vxlan":
        vector.update({
            "config": args.config,
            "mode": "l2",
            "local": args.local,
            "remote": args.remote,
            "vni": args.vni,
            "dstport": args.dstport,
            "outer": "ipv4" if ipaddress.ip_address(args.local).version == 4 else "ipv6",
            "overlay": args.overlay,
        })
    else:
        vector.update({
            "route": args.config,
            "mode": "l2" if args.seg6_mode.startswith("l2encap") else "l3",
            "seg6_mode": args.seg6_mode,
            "reduced": args.seg6_mode.endswith(".red"),
            "sids": args.sids.split(","),
            "outer_src_expected": args.local,
            "sysctl": "",
            "tunsrc": "(none set: kernel picks the source address for the first SID)",
        })
    with open(f"{args.out}/kernel-{args.name}.json", "w") as f:
        json.dump(vector, f, indent=2, sort_keys=True)
        f.write("\n")
    obs = vector["observed"]
    # what KernelVectorTests assumes of the kernel; the vectors stay as recorded, but say so here
    if obs.get("inner_flows_with_several_sports"):
        print(f"kernel-vectors: {args.name}: warning: several UDP source ports for {obs['inner_flows_with_several_sports']}", file=sys.stderr)
    if args.protocol == "vxlan" and not 32768 <= obs["udp_sport_min"] <= obs["udp_sport_max"] <= 60999:
        print(f"kernel-vectors: {args.name}: warning: UDP source ports outside 32768-60999 (ip_local_port_range)", file=sys.stderr)
    print(f"kernel-vectors: {args.name}: {obs['frames']} frames ({len(sent)} sent, {obs['frames'] - len(sent)} ARP/ND), "
          f"{obs['frame_len_min']}-{obs['frame_len_max']} bytes after encapsulation", file=sys.stderr)
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("send")
    s.add_argument("plan", choices=["vxlan", "srv6-v6", "srv6-v4"])
    s.add_argument("--dst4")
    s.add_argument("--dst6")
    p = sub.add_parser("pair")
    for name in ("inner", "encap", "out", "name", "config", "local", "kernel", "iproute2"):
        p.add_argument(f"--{name}", required=True)
    p.add_argument("--expect", type=int, required=True)
    p.add_argument("--protocol", choices=["vxlan", "srv6"], required=True)
    p.add_argument("--remote")
    p.add_argument("--vni", type=int)
    p.add_argument("--dstport", type=int)
    p.add_argument("--overlay", action="append", default=[])
    p.add_argument("--seg6-mode", choices=["encap", "encap.red", "l2encap", "l2encap.red"])
    p.add_argument("--sids")
    args = parser.parse_args()
    if args.command == "send":
        send(args)
        return 0
    return pair(args)


if __name__ == "__main__":
    sys.exit(main())
