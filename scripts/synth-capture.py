#!/usr/bin/env python3
"""Writes a synthetic Ethernet pcap of N packets to a file or a FIFO, for scripts/large-capture.sh.

    scripts/synth-capture.py PACKETS OUT [--packets-per-flow K]

The traffic is deterministic and shaped like a busy host's: IPv4 (80 %) and IPv6, TCP and UDP, frame sizes from 60 to
1514 bytes in an IMIX-like mix, and a new flow (5-tuple) every K packets (default 16), so the number of distinct flows
grows with the capture's length as it does on a real link. IPv4 header checksums are right (transport checksums are 0). Frames are built from a few hundred
templates with the addresses and ports patched in, so 10 million packets take a minute, not an hour.
"""
import struct
import sys

SIZES = [60, 60, 66, 66, 66, 74, 90, 128, 256, 576, 1024, 1300, 1514, 1514, 1514, 1514]


def checksum(data: bytes) -> int:
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total & 0xFFFF) + (total >> 16)
    total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def templates():
    """(ipv6, protocol, size) -> frame bytes with zero addresses and ports."""
    out = {}
    for ipv6 in (False, True):
        for protocol in (6, 17):
            for size in set(SIZES):
                l4 = 20 if protocol == 6 else 8
                ip_header = 40 if ipv6 else 20
                payload = max(0, size - 14 - ip_header - l4)
                ip_length = ip_header + l4 + payload
                eth = bytes.fromhex("02aa00000002" "02aa00000001") + (b"\x86\xdd" if ipv6 else b"\x08\x00")
                if protocol == 6:
                    l4h = struct.pack("!HHIIBBHHH", 0, 0, 1, 1, 5 << 4, 0x18, 65535, 0, 0)
                else:
                    l4h = struct.pack("!HHHH", 0, 0, l4 + payload, 0)
                body = l4h + bytes((i * 13) & 0xFF for i in range(payload))
                if ipv6:
                    ip = struct.pack("!IHBB", 0x60000000, l4 + payload, protocol, 64) + bytes(32)
                else:
                    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, ip_length, 0, 0x4000, 64, protocol, 0, bytes(4), bytes(4))
                frame = eth + ip + body
                frame += bytes(max(0, 60 - len(frame)))
                out[(ipv6, protocol, size)] = bytearray(frame)
    return out


def main():
    if "-h" in sys.argv or "--help" in sys.argv:
        print(__doc__.strip())
        return
    if len(sys.argv) < 3 or not sys.argv[1].isdigit():
        print(f"synth-capture.py: usage: synth-capture.py PACKETS OUT [--packets-per-flow K] (PACKETS a whole number; got {' '.join(sys.argv[1:]) or 'nothing'})", file=sys.stderr)
        sys.exit(2)
    packets = int(sys.argv[1])
    path = sys.argv[2]
    per_flow = int(sys.argv[sys.argv.index("--packets-per-flow") + 1]) if "--packets-per-flow" in sys.argv else 16
    frames = templates()
    seconds = 1_700_000_000
    with open(path, "wb", buffering=1 << 20) as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        batch = []
        for i in range(packets):
            flow = i // per_flow
            ipv6 = flow % 5 == 4
            protocol = 17 if flow % 3 == 2 else 6
            size = SIZES[(i * 7 + flow) % len(SIZES)]
            frame = frames[(ipv6, protocol, size)]
            sport = 1024 + flow % 64000
            dport = (443, 80, 53, 8080)[flow % 4]
            host = flow // 64000
            if ipv6:
                l4 = 14 + 40
                frame[22:38] = b"\x20\x01\x0d\xb8" + struct.pack("!IQ", host >> 16, 1)
                frame[38:54] = b"\x20\x01\x0d\xb8" + struct.pack("!IQ", 0, (host & 0xFFFF) + 2)
            else:
                l4 = 14 + 20
                frame[26:30] = struct.pack("!I", 0x0A000000 | (host & 0xFFFFFF))
                frame[30:34] = struct.pack("!I", 0xC0000201)
                frame[18:20] = struct.pack("!H", i & 0xFFFF)
                frame[24:26] = b"\0\0"
                frame[24:26] = struct.pack("!H", checksum(bytes(frame[14:34])))
            frame[l4:l4 + 4] = struct.pack("!HH", sport, dport)
            # Transport checksums stay 0 (UDP: none; TCP: not checked by anything that reads these frames).
            usec = i % 1_000_000
            batch.append(struct.pack("<IIII", seconds + i // 1_000_000, usec, len(frame), len(frame)))
            batch.append(bytes(frame))
            if len(batch) >= 8192:
                f.write(b"".join(batch))
                batch.clear()
        f.write(b"".join(batch))


if __name__ == "__main__":
    main()
