#!/usr/bin/env python3
"""Writes captures/MANIFEST.md (to standard output) from the captures themselves, with capinfos and tshark.

For every *.pcap in the folder: how it was made (the traffic function of record.sh that produced it), frame count,
bytes, duration, link type, frame size min/median/max/mean, a size histogram and tshark's protocol hierarchy.
"""

import argparse
import datetime
import os
import platform
import re
import statistics
import subprocess

DESCRIPTIONS = {
    "bulk-tcp": "One IPv4 TCP connection carrying 2 MiB of seeded random bytes client → server: MSS-sized "
                "(1448 + 52 header bytes, 1514-byte frames) data segments one way, 66-byte ACKs the other, "
                "handshake and FIN exchange, and the sink's 8-byte receipt.",
    "http": "HTTP/1.1 over IPv4 (python3 `http.server`, keep-alive): four rounds of a page load (HTML, CSS, JS, "
            "an icon-sized and a photo-sized binary on one connection), three one-request connections, an upload "
            "POST and a 404. Responses range from a few hundred bytes to 96 KB.",
    "dns-udp": "400 DNS queries over IPv4 UDP, one at a time, each answered (A, AAAA, TXT, MX; NXDOMAIN for "
               "the nx.example zone; EDNS(0) OPT records), then four traceroute-style datagrams to a closed port and the "
               "ICMP port-unreachable replies the kernel sends back.",
    "icmp": "IPv4 ping at four sizes — 56, 1000 and 1472 data bytes (the last gives exactly 1514-byte frames) "
            "and 4000 bytes, which the sender fragments into 1514 + 1514 + 1082-byte frames — plus ICMP "
            "port unreachable for UDP to a closed port.",
    "ipv6": "IPv6 only: neighbour discovery, ping -6 at 56, 1452 (exactly 1514-byte frames) and 4000 bytes "
            "(fragment headers), a 768 KiB TCP transfer, two HTTP rounds and 100 DNS queries.",
    "mixed": "Everything at once, IPv4 and IPv6 interleaved: two bulk TCP transfers (1 MiB over IPv4, 256 KiB "
             "over IPv6), HTTP over both, 200 DNS queries and two ping streams, all started together.",
}

TITLES = {
    "bulk-tcp": "bulk TCP/IPv4, 2 MiB one way",
    "http": "HTTP/1.1 over IPv4, 40 requests",
    "dns-udp": "DNS over UDP/IPv4, 400 queries",
    "icmp": "ICMP echo at 4 sizes, fragments, unreachables",
    "ipv6": "IPv6 only: ND, ping, TCP, HTTP, DNS",
    "mixed": "IPv4 + IPv6, everything concurrently",
}

BINS = [(0, 64), (65, 127), (128, 255), (256, 511), (512, 1023), (1024, 1513), (1514, 1514), (1515, 10**9)]


def run(*command):
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def capinfo(path):
    fields = {}
    for line in run("capinfos", "-M", path).splitlines():
        if ":" in line:
            key, value = line.split(":", 1)
            fields[key.strip()] = value.strip()
    return fields


def traffic_function(script, name):
    text = open(script).read()
    match = re.search(r"^traffic_" + re.escape(name) + r"\(\) \{.*?\n\}", text, re.S | re.M)
    return match.group(0) if match else "(not found in record.sh)"


def histogram(sizes):
    rows = []
    total = len(sizes)
    for low, high in BINS:
        count = sum(1 for s in sizes if low <= s <= high)
        if high >= 10**9:
            label = "> 1514"
        elif low == high:
            label = f"{low}"
        else:
            label = f"{low}–{high}"
        bar = "█" * round(40 * count / total) if total else ""
        rows.append(f"| {label} | {count} | {100 * count / total:.1f} % | {bar} |")
    return "\n".join(["| frame bytes | frames | share | |", "| ---: | ---: | ---: | --- |"] + rows)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--captures", required=True)
    parser.add_argument("--script", required=True)
    parser.add_argument("--offloads", required=True)
    parser.add_argument("--namespaces", required=True)
    args = parser.parse_args()

    captures = sorted(f for f in os.listdir(args.captures) if f.endswith(".pcap"))
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    tshark_version = " ".join(run("tshark", "--version").splitlines()[0].split()[:3])  # TShark (Wireshark) 4.0.17
    offloads = [line for line in open(args.offloads).read().splitlines()
                if re.match(r"^(tcp-segmentation-offload|generic-segmentation-offload|generic-receive-offload|"
                            r"large-receive-offload|tx-checksumming|rx-checksumming|scatter-gather|"
                            r"rx-gro-list|rx-udp-gro-forwarding|tx-udp-segmentation):", line.strip())]
    try:
        commit = run("git", "-C", args.captures, "rev-parse", "--short", "HEAD").strip()
        if run("git", "-C", args.captures, "status", "--porcelain", "--", "../src", "record.sh", "tools").strip():
            commit += " plus uncommitted changes to the recorder"
    except (subprocess.CalledProcessError, FileNotFoundError):
        commit = "unknown"

    out = []
    out.append("# Captures recorded by the project\n")
    out.append("These are the suite's default inputs (`overlay analyze` with no `--in` reads every pcap here). "
               "They hold real traffic that `captures/record.sh` generated and captured on one Linux machine; "
               "nothing here comes from another network. Re-record them with\n")
    out.append("```sh\nsudo captures/record.sh            # all of them\nsudo captures/record.sh http dns-udp  # some\n```\n")
    out.append("## How they were made\n")
    out.append(f"- **Recorded**: {now}, kernel {platform.release()} ({platform.machine()}), source tree at commit {commit}, "
               f"{tshark_version} and capinfos for the statistics below.")
    out.append(f"- **Hosts**: two network namespaces ({args.namespaces}) joined by one veth pair, "
               "`veth-client` 192.0.2.1/24, fd0b:e4c0:5eed::1/64 ↔ `veth-server` 192.0.2.2/24, fd0b:e4c0:5eed::2/64 "
               "(IPv4 documentation range, IPv6 unique-local prefix), MTU 1500, IPv6 DAD and router "
               "solicitations off. Each capture starts with empty neighbour caches, so it opens with ARP or "
               "neighbour discovery.")
    out.append("- **Offloads off on both ends** (`ethtool -K IF tso off gso off gro off tx off rx off sg off tx-udp-segmentation off`), so the "
               "stack segments TCP itself and fills in every checksum: frames are recorded as they would cross a "
               "wire (≤ 1514 bytes, no super-frames, valid checksums). `ethtool -k veth-client` during recording:\n")
    out.append("  ```\n" + "\n".join("  " + line.strip() for line in offloads) + "\n  ```")
    out.append(f"- **Capture**: `overlay record --interface veth-client --out NAME.pcap --duration 300 --quiet` "
               "(SharpPcap live capture, immediate mode, full snap length) in the client namespace, started "
               "before the traffic and stopped with SIGUSR1 half a second after it ended, which completes the "
               "file (written under a temporary name, renamed when complete). Link type Ethernet, "
               "microsecond timestamps.")
    out.append("- **Traffic**: servers in the server namespace, clients in the client namespace; generators are "
               "`captures/tools/traffic.py` (python3 standard library: sockets, `http.server`, `http.client`; "
               "seeded, so each re-recording sends the same requests, names and payload sizes) and `ping` "
               "(iputils). Ports, sequence numbers, IP IDs and timings differ between recordings; the byte "
               "counts of a capture may shift by a few frames (retransmissions, ACK pacing, ICMP rate limits).\n")

    out.append("## Summary\n")
    out.append("| capture | frames | bytes on file | frame bytes min / median / max | mean | duration | what |")
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    details = []
    for file in captures:
        name = file[:-5]
        path = os.path.join(args.captures, file)
        info = capinfo(path)
        sizes = [int(v) for v in run("tshark", "-r", path, "-T", "fields", "-e", "frame.len").split()]
        count = len(sizes)
        median = statistics.median(sizes) if sizes else 0
        mean = statistics.fmean(sizes) if sizes else 0
        file_bytes = os.path.getsize(path)
        duration = info.get("Capture duration", "?")
        summary_line = TITLES.get(name, "")
        out.append(f"| [{file}](#{name}) | {count} | {file_bytes:,} | {min(sizes)} / {median:g} / {max(sizes)} | "
                   f"{mean:.0f} | {duration} | {summary_line} |")
        phs = run("tshark", "-r", path, "-qz", "io,phs")
        phs = "\n".join(line for line in phs.splitlines() if not line.startswith("=") and line.strip()
                        and not line.startswith("Protocol Hierarchy") and not line.startswith("Filter:"))
        over = sum(1 for s in sizes if s > 1514)
        details.append(f"### {name}\n")
        details.append(DESCRIPTIONS.get(name, "") + "\n")
        details.append(f"- frames: {count}; frame bytes {sum(sizes):,} (file {file_bytes:,} bytes); "
                       f"min {min(sizes)}, median {median:g}, mean {mean:.1f}, max {max(sizes)}; "
                       f"frames over 1514 bytes: {over}")
        details.append(f"- duration {duration}; link type {info.get('File encapsulation', '?')}; "
                       f"SHA-256 {info.get('SHA256', '?')}\n")
        details.append("Traffic (from `record.sh`):\n")
        details.append("```sh\n" + traffic_function(args.script, name) + "\n```\n")
        details.append("Frame sizes:\n")
        details.append(histogram(sizes) + "\n")
        details.append("Protocols (`tshark -qz io,phs`):\n")
        details.append("```\n" + phs + "\n```\n")
    out.append("")
    out.append("## Each capture\n")
    out.extend(details)
    print("\n".join(out).rstrip() + "\n")


if __name__ == "__main__":
    main()
