#!/usr/bin/env python3
"""Traffic generators for captures/record.sh: real sockets, python3 standard library only.

Every generator is seeded, so a re-recording sends the same requests, names and payload sizes (the bytes on the
wire differ only where the kernel chooses: ports, sequence numbers, timestamps, IP IDs).

  traffic.py tcp-sink   --bind ADDR --port N                 accept TCP connections and read them to the end
  traffic.py tcp-send   --to ADDR --port N --bytes N         one connection, N bytes of seeded random data
  traffic.py http-serve --bind ADDR --port N --root DIR      HTTP/1.1 server (keep-alive, GET from DIR, POST echo)
  traffic.py http-site  --root DIR                           write the seeded site the server serves
  traffic.py http-get   --to ADDR --port N [--rounds N]      browse the site: keep-alive, fresh connections, POSTs, a 404
  traffic.py dns-serve  --bind ADDR --port N                 answer DNS queries (A, AAAA, TXT, MX; NXDOMAIN for *.nx.*)
  traffic.py dns-query  --to ADDR --port N --count N         N queries, one at a time, each awaiting its answer
  traffic.py udp-probe  --to ADDR --port N --count N         traceroute-style datagrams to a closed port (ICMP port unreachable back)

Servers print "ready" on standard output once listening and run until killed.
"""

import argparse
import http.client
import http.server
import json
import os
import random
import socket
import socketserver
import struct
import sys
import time

SEED = 20261126


def family_of(address):
    return socket.AF_INET6 if ":" in address else socket.AF_INET


def ready():
    print("ready", flush=True)


# --- bulk TCP ----------------------------------------------------------------------------------------------------


def tcp_sink(args):
    with socket.socket(family_of(args.bind), socket.SOCK_STREAM) as listener:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((args.bind, args.port))
        listener.listen(16)
        ready()
        while True:
            connection, _ = listener.accept()
            with connection:
                total = 0
                while True:
                    chunk = connection.recv(1 << 16)
                    if not chunk:
                        break
                    total += len(chunk)
                connection.sendall(struct.pack("!Q", total))  # the receipt: how many bytes arrived


def tcp_send(args):
    payload = random.Random(SEED).randbytes(args.bytes)
    with socket.create_connection((args.to, args.port), timeout=30) as connection:
        connection.sendall(payload)
        connection.shutdown(socket.SHUT_WR)
        receipt = b""
        while len(receipt) < 8:
            chunk = connection.recv(8 - len(receipt))
            if not chunk:
                break
            receipt += chunk
    received = struct.unpack("!Q", receipt)[0] if len(receipt) == 8 else -1
    if received != args.bytes:
        sys.exit(f"tcp-send: sent {args.bytes} bytes, the sink read {received}")
    print(f"tcp-send: {args.bytes} bytes to [{args.to}]:{args.port}")


# --- HTTP --------------------------------------------------------------------------------------------------------

# name, size in bytes, kind: text is seeded words (compressible, like HTML/CSS/JS/JSON), binary is seeded random bytes.
SITE = [
    ("index.html", 2_300, "text"),
    ("style.css", 6_100, "text"),
    ("app.js", 31_000, "text"),
    ("data.json", 12_400, "text"),
    ("icons.bin", 4_700, "binary"),   # image-sized random bytes, served as application/octet-stream
    ("photo.bin", 96_000, "binary"),  # (random bytes named .png/.jpg would make tshark report malformed images)
    ("robots.txt", 120, "text"),
]
WORDS = ("overlay tunnel packet frame header segment vxlan geneve gre srv6 encap decap mtu ecmp flow label "
         "span buffer arena capture replay bench metric goodput latency throughput").split()


def http_site(args):
    rng = random.Random(SEED)
    os.makedirs(args.root, exist_ok=True)
    for name, size, kind in SITE:
        if kind == "binary":
            body = rng.randbytes(size)
        else:
            text = []
            length = 0
            while length < size:
                word = rng.choice(WORDS)
                text.append(word)
                length += len(word) + 1
            body = " ".join(text).encode()[:size]
        with open(os.path.join(args.root, name), "wb") as f:
            f.write(body)


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as a browser and a modern server would use

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        reply = json.dumps({"received": len(body), "path": self.path}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format, *args):
        pass


def http_serve(args):
    class Server(http.server.ThreadingHTTPServer):
        address_family = family_of(args.bind)
        allow_reuse_address = True

    handler = lambda *a, **k: Handler(*a, directory=args.root, **k)  # noqa: E731
    with Server((args.bind, args.port), handler) as server:
        ready()
        server.serve_forever()


def http_get(args):
    rng = random.Random(SEED + 1)
    pages = [name for name, _, _ in SITE]
    headers = {"User-Agent": "overlay-bench-record/1", "Accept": "*/*", "Accept-Encoding": "identity"}
    requests = 0

    def fetch(connection, method, path, body=None):
        nonlocal requests
        extra = dict(headers)
        if body is not None:
            extra["Content-Type"] = "application/octet-stream"
        connection.request(method, path, body=body, headers=extra)
        response = connection.getresponse()
        response.read()
        requests += 1
        return response.status

    for round_ in range(args.rounds):
        # A page load: one keep-alive connection fetching the page and its resources.
        connection = http.client.HTTPConnection(args.to, args.port, timeout=10)
        for path in ["index.html", "style.css", "app.js", "icons.bin", "photo.bin"]:
            fetch(connection, "GET", "/" + path)
        connection.close()
        # API calls: a fresh connection each, some GETs, an upload, a miss.
        for _ in range(3):
            connection = http.client.HTTPConnection(args.to, args.port, timeout=10)
            fetch(connection, "GET", "/" + rng.choice(pages))
            connection.close()
        connection = http.client.HTTPConnection(args.to, args.port, timeout=10)
        fetch(connection, "POST", f"/upload/{round_}", body=rng.randbytes(rng.choice([600, 4_000, 9_000])))
        status = fetch(connection, "GET", "/missing.html")
        connection.close()
        if status != 404:
            sys.exit(f"http-get: /missing.html answered {status}, expected 404")
        time.sleep(0.05)
    print(f"http-get: {requests} requests to [{args.to}]:{args.port}")


# --- DNS-style UDP -----------------------------------------------------------------------------------------------

TYPE_A, TYPE_MX, TYPE_TXT, TYPE_AAAA, TYPE_OPT = 1, 15, 16, 28, 41


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\x00"


def decode_question(message):
    offset = 12
    labels = []
    while message[offset]:
        length = message[offset]
        labels.append(message[offset + 1:offset + 1 + length].decode())
        offset += 1 + length
    offset += 1
    qtype, qclass = struct.unpack_from("!HH", message, offset)
    return ".".join(labels), qtype, qclass, offset + 4


def answer(query):
    ident, flags = struct.unpack_from("!HH", query, 0)
    name, qtype, qclass, end = decode_question(query)
    question = query[12:end]
    seed = sum(name.encode()) * 31 + qtype
    rng = random.Random(seed)
    records = []
    rcode = 0
    if ".nx." in "." + name + ".":
        rcode = 3  # NXDOMAIN
    elif qtype == TYPE_A:
        for _ in range(rng.randint(1, 4)):
            records.append((TYPE_A, bytes([192, 0, 2, rng.randint(1, 254)])))
    elif qtype == TYPE_AAAA:
        for _ in range(rng.randint(1, 3)):
            records.append((TYPE_AAAA, bytes.fromhex("20010db8") + rng.randbytes(12)))
    elif qtype == TYPE_MX:
        for preference in range(rng.randint(1, 3)):
            records.append((TYPE_MX, struct.pack("!H", 10 * (preference + 1)) + encode_name(f"mx{preference}.{name}")))
    elif qtype == TYPE_TXT:
        for _ in range(rng.randint(1, 4)):
            text = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789=+/") for _ in range(rng.randint(40, 250)))
            records.append((TYPE_TXT, bytes([len(text)]) + text.encode()))
    header = struct.pack("!HHHHHH", ident, 0x8180 | (flags & 0x0100) | rcode, 1, len(records), 0, 1)
    body = question
    for rtype, rdata in records:
        body += b"\xc0\x0c" + struct.pack("!HHIH", rtype, qclass, 300, len(rdata)) + rdata
    body += b"\x00" + struct.pack("!HHIH", TYPE_OPT, 1232, 0, 0)  # EDNS(0), as resolvers answer today
    return header + body


def dns_serve(args):
    with socket.socket(family_of(args.bind), socket.SOCK_DGRAM) as server:
        server.bind((args.bind, args.port))
        ready()
        while True:
            query, peer = server.recvfrom(4096)
            try:
                server.sendto(answer(query), peer)
            except (IndexError, struct.error, UnicodeDecodeError):
                pass  # not a query this server understands; a real server would answer FORMERR


def dns_query(args):
    rng = random.Random(SEED + 2)
    zones = ["example.com", "example.net", "example.org", "corp.example", "svc.test", "nx.example"]
    hosts = ["www", "api", "mail", "cdn", "db", "auth", "static", "git", "ci", "metrics", "vpn", "ns1"]
    types = [TYPE_A] * 5 + [TYPE_AAAA] * 3 + [TYPE_TXT, TYPE_MX]
    answered = 0
    with socket.socket(family_of(args.to), socket.SOCK_DGRAM) as client:
        client.settimeout(2)
        for i in range(args.count):
            name = f"{rng.choice(hosts)}.{rng.choice(zones)}"
            qtype = rng.choice(types)
            ident = rng.randrange(65536)
            query = struct.pack("!HHHHHH", ident, 0x0100, 1, 0, 0, 1) + encode_name(name) + struct.pack("!HH", qtype, 1)
            query += b"\x00" + struct.pack("!HHIH", TYPE_OPT, 1232, 0, 0)
            client.sendto(query, (args.to, args.port))
            try:
                reply, _ = client.recvfrom(4096)
                if reply[:2] == query[:2]:
                    answered += 1
            except socket.timeout:
                pass
            if args.interval:
                time.sleep(args.interval)
    print(f"dns-query: {answered}/{args.count} answered by [{args.to}]:{args.port}")
    if answered != args.count:
        sys.exit(1)


def udp_probe(args):
    with socket.socket(family_of(args.to), socket.SOCK_DGRAM) as client:
        for i in range(args.count):
            client.sendto(f"probe {i}".encode(), (args.to, args.port))
            time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, function in [("tcp-sink", tcp_sink), ("http-serve", http_serve), ("dns-serve", dns_serve)]:
        p = commands.add_parser(name)
        p.add_argument("--bind", required=True)
        p.add_argument("--port", type=int, required=True)
        if name == "http-serve":
            p.add_argument("--root", required=True)
        p.set_defaults(function=function)
    p = commands.add_parser("http-site")
    p.add_argument("--root", required=True)
    p.set_defaults(function=http_site)
    for name, function in [("tcp-send", tcp_send), ("http-get", http_get), ("dns-query", dns_query), ("udp-probe", udp_probe)]:
        p = commands.add_parser(name)
        p.add_argument("--to", required=True)
        p.add_argument("--port", type=int, required=True)
        if name == "tcp-send":
            p.add_argument("--bytes", type=int, required=True)
        if name == "http-get":
            p.add_argument("--rounds", type=int, default=4)
        if name in ("dns-query", "udp-probe"):
            p.add_argument("--count", type=int, required=True)
        if name == "dns-query":
            p.add_argument("--interval", type=float, default=0.0)
        p.set_defaults(function=function)
    args = parser.parse_args()
    args.function(args)


if __name__ == "__main__":
    main()
