#!/usr/bin/env python3
"""Writes the hostile-capture corpus beside this script, byte for byte the same on every run.

Every file is a capture a stranger's network or a broken tool could hand the suite. MANIFEST.json, beside it, says
what each file is and what every verb (encap, decap, analyze) must do with it: exit code, the words its error or its
skip counts must hold. tests/Overlay.Cli.Tests/HostileCorpusTests.cs runs every verb over every file against it.
The files are committed; run this again only to change the corpus (python3 tests/corpus/hostile/make.py).
"""
import os
import random
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

INNER_DST = bytes.fromhex("021122334455")
INNER_SRC = bytes.fromhex("0266778899aa")
OUTER_DST = bytes.fromhex("02000000bb02")
OUTER_SRC = bytes.fromhex("02000000bb01")


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4(protocol: int, payload: bytes, ihl: int = 5, src=b"\xc0\x00\x02\x01", dst=b"\xc0\x00\x02\x02") -> bytes:
    options = b"\0" * (max(ihl, 5) * 4 - 20)
    header = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 20 + len(options) + len(payload), 1, 0x4000, 64, protocol, 0, src, dst) + options
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return header + payload


def ipv6(next_header: int, payload: bytes, payload_length=None) -> bytes:
    src = bytes.fromhex("20010db8000000000000000000000001")
    dst = bytes.fromhex("20010db8000000000000000000000002")
    length = len(payload) if payload_length is None else payload_length
    return struct.pack("!IHBB", 0x60000000, length, next_header, 64) + src + dst + payload


def udp(source: int, destination: int, payload: bytes) -> bytes:
    # Checksum 0: allowed for VXLAN/GENEVE over IPv4 (RFC 7348 §5, RFC 8926 §3.3), so the decoder reaches the tunnel header.
    return struct.pack("!HHHH", source, destination, 8 + len(payload), 0) + payload


def ethernet(ether_type: int, payload: bytes, dst=OUTER_DST, src=OUTER_SRC) -> bytes:
    return dst + src + struct.pack("!H", ether_type) + payload


def inner_frame(length: int = 100) -> bytes:
    """A small inner Ethernet frame carrying IPv4/UDP to a port that no dissector cares about."""
    data = bytes((i * 7) & 0xFF for i in range(length - 14 - 20 - 8))
    return ethernet(0x0800, ipv4(17, udp(40000, 9999, data), src=b"\x0a\x00\x00\x01", dst=b"\x0a\x00\x00\x02"), INNER_DST, INNER_SRC)


def pcap(records, link_type=1, snap_length=262144, nanoseconds=False) -> bytes:
    out = struct.pack("<IHHiIII", 0xA1B23C4D if nanoseconds else 0xA1B2C3D4, 2, 4, 0, 0, snap_length, link_type)
    for i, record in enumerate(records):
        if isinstance(record, tuple):
            data, captured, original, seconds = record
        else:
            data, captured, original, seconds = record, len(record), len(record), 1_700_000_000 + i
        out += struct.pack("<IIII", seconds, 0, captured, original) + data
    return out


def pcapng_block(block_type: int, body: bytes) -> bytes:
    body += b"\0" * (-len(body) % 4)
    length = 12 + len(body)
    return struct.pack("<II", block_type, length) + body + struct.pack("<I", length)


def pcapng(blocks) -> bytes:
    section = pcapng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    return section + b"".join(blocks)


def idb(link_type=1, snap_length=65535) -> bytes:
    return pcapng_block(1, struct.pack("<HHI", link_type, 0, snap_length))


def epb(data: bytes, timestamp=1_700_000_000_000_000) -> bytes:
    return pcapng_block(6, struct.pack("<IIIII", 0, timestamp >> 32, timestamp & 0xFFFFFFFF, len(data), len(data)) + data)


def vxlan_packet(flags=0x08) -> bytes:
    vxlan = struct.pack("!B3xI", flags, 4242 << 8)
    return ethernet(0x0800, ipv4(17, udp(50000, 4789, vxlan + inner_frame())))


def files():
    rng = random.Random(8)
    good = inner_frame()

    yield "empty.pcap", b""
    yield "random-bytes.pcap", bytes(rng.getrandbits(8) for _ in range(4096))
    yield "truncated-file-header.pcap", pcap([])[:13]
    # The second record's header says 400 bytes; the file ends 61 bytes into them.
    yield "truncated-record.pcap", pcap([good, good + bytes(300)])[: 24 + 16 + len(good) + 16 + 61]
    # snaplen 64, caplen 100: libpcap cuts the record to the snap length, so the frame is a snap-length cut.
    yield "caplen-beyond-snaplen.pcap", pcap([good], snap_length=64)
    # caplen 300,000: more than libpcap's 256 KiB bound on a record (and than the file holds).
    yield "caplen-beyond-256k.pcap", pcap([(good, 300_000, 300_000, 1_700_000_000)], snap_length=65535)
    # pcapng: blocks of unknown and local-use types, custom blocks, a name resolution block and a statistics block
    # around the packets: a reader skips what it does not know (pcapng §3.1).
    yield "pcapng-unknown-blocks.pcapng", pcapng([
        idb(),
        pcapng_block(0x00007A7A, b"an unknown block type: skip me"),
        epb(good),
        pcapng_block(0x80000001, b""),
        pcapng_block(0x00000BAD, struct.pack("<I", 32473) + b"custom, copyable"),
        pcapng_block(0x40000BAD, struct.pack("<I", 32473) + b"custom, not to be copied"),
        pcapng_block(4, struct.pack("<HH", 0, 0)),  # name resolution: only the end-of-records entry
        epb(vxlan_packet()),
        pcapng_block(5, struct.pack("<III", 0, 0, 0)),  # interface statistics, no options
    ])
    yield "unsupported-link-type.pcap", pcap([bytes(64)], link_type=147)
    yield "runt-frames.pcap", pcap([bytes(6), bytes(13), b"", good])
    # The outer IPv4 header of a VXLAN packet says IHL 4 (16 bytes).
    packet = bytearray(vxlan_packet())
    packet[14] = 0x44
    yield "ipv4-ihl-below-5.pcap", pcap([bytes(packet)])
    # IPv6 whose Destination Options headers (8 bytes, next header 60 again) run to the end of the packet and beyond.
    chain = b"".join(struct.pack("!BB6x", 60, 0) for _ in range(8))
    yield "ipv6-endless-extension-headers.pcap", pcap([
        ethernet(0x86DD, ipv6(60, chain)),
        ethernet(0x86DD, ipv6(60, chain[:-8] + struct.pack("!BB6x", 60, 200))),
    ])
    # SRH claiming 11 segments (Hdr Ext Len 22) in a 40-byte payload; and one whose Last Entry (3) exceeds what
    # its Hdr Ext Len (2: one segment) holds.
    segment = bytes.fromhex("fc000001000000000000000000000000")
    srh_long = struct.pack("!BBBBBBH", 41, 22, 4, 0, 10, 0, 0) + segment + bytes(16)
    srh_last = struct.pack("!BBBBBBH", 41, 2, 4, 0, 3, 0, 0) + segment
    yield "srh-length-disagrees.pcap", pcap([
        ethernet(0x86DD, ipv6(43, srh_long)),
        ethernet(0x86DD, ipv6(43, srh_last + ipv6(59, b""))),
    ])
    # GENEVE Opt Len 63 (252 bytes of options) in a datagram with 24 bytes after the base header.
    geneve = struct.pack("!BBHI", 63, 0, 0x6558, 4242 << 8) + bytes(24)
    yield "geneve-options-beyond-packet.pcap", pcap([ethernet(0x0800, ipv4(17, udp(50000, 6081, geneve)))])
    yield "vxlan-without-i-flag.pcap", pcap([vxlan_packet(flags=0x00), vxlan_packet(flags=0x08)])
    # The largest frame a 16-bit IPv4 Total Length allows behind Ethernet, read whole.
    yield "frame-65535.pcap", pcap([inner_frame(65535)])
    # Found by fuzzing: libpcap reads the seconds as signed, so 0xF0000000 is 1961.
    yield "timestamp-before-1970.pcap", pcap([(good, len(good), len(good), 0xF0000000)], nanoseconds=True)
    # A pcapng block whose trailing length disagrees with its leading one.
    block = bytearray(epb(good))
    block[-4:] = struct.pack("<I", 999)
    yield "pcapng-block-length-disagrees.pcapng", pcapng([idb(), epb(good), bytes(block)])


def main():
    for name, data in files():
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
