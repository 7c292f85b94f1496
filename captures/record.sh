#!/usr/bin/env bash
# Re-records the project's default captures (captures/*.pcap) and rewrites captures/MANIFEST.md.
#
# Two network namespaces joined by one veth pair carry real traffic between them (python3 standard-library
# generators from captures/tools/traffic.py, and ping); `overlay record` (SharpPcap live capture) records it on the
# client's end of the veth. Segmentation, receive and checksum offloads are off on both ends and the MTU is 1500, so
# every frame is recorded as it would cross a wire: at most 1514 bytes, checksums filled in.
#
# Usage (as root, from anywhere):  captures/record.sh [NAME...]
#   NAME: bulk-tcp http dns-udp icmp ipv6 mixed (default: all). MANIFEST.md is rewritten from every capture present.
# Environment: OVERLAY  the `overlay` command to use (default: build src/Overlay.Cli in Release and run its binary)
#
# Traffic stays inside the two namespaces: addresses are from the IPv4 documentation range (192.0.2.0/24,
# RFC 5737) and an IPv6 unique-local prefix (fd00::/8, RFC 4193); nothing is routed anywhere else.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
TOOLS="$HERE/tools"
ALL=(bulk-tcp http dns-udp icmp ipv6 mixed)

NS_A="ovb-client-$$"   # the client; captures are taken on its veth end
NS_B="ovb-server-$$"
IF_A="veth-client"     # names live inside the namespaces only, so parallel runs cannot collide
IF_B="veth-server"
V4_A=192.0.2.1 V4_B=192.0.2.2
V6_A=fd0b:e4c0:5eed::1 V6_B=fd0b:e4c0:5eed::2
PY=/usr/bin/python3; [[ -x $PY ]] || PY="$(command -v python3)"

WORK=""
PIDS=()

log() { printf '%s record.sh: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done  # a recorder removes its partial file first
  for ns in "$NS_A" "$NS_B"; do
    if ip netns list | grep -qw "$ns"; then
      # only processes this script started can be in its own namespaces
      for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
      ip netns del "$ns" 2>/dev/null || true
    fi
  done
  [[ -n $WORK ]] && rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[[ $EUID -eq 0 ]] || die "run as root (it creates network namespaces and captures on them)"
for tool in ip "$PY"; do command -v "$tool" >/dev/null || die "$tool is missing"; done
missing=()
command -v ethtool >/dev/null || missing+=(ethtool)
command -v ping >/dev/null || missing+=(iputils-ping)
command -v tshark >/dev/null || missing+=(tshark)
command -v capinfos >/dev/null || missing+=(wireshark-common)
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

NAMES=("$@"); ((${#NAMES[@]})) || NAMES=("${ALL[@]}")
for name in "${NAMES[@]}"; do [[ " ${ALL[*]} " == *" $name "* ]] || die "unknown capture '$name' (known: ${ALL[*]})"; done

if [[ -z ${OVERLAY:-} ]]; then
  log "building src/Overlay.Cli (Release)"
  build_log="$(dotnet build "$REPO/src/Overlay.Cli" -c Release -nologo -v quiet 2>&1)" || { printf '%s\n' "$build_log" >&2; die "dotnet build failed"; }
  OVERLAY="$REPO/src/Overlay.Cli/bin/Release/net10.0/overlay"
fi
[[ -x ${OVERLAY%% *} ]] || command -v "${OVERLAY%% *}" >/dev/null || die "no overlay command at $OVERLAY"

WORK="$(mktemp -d /tmp/overlay-record.XXXXXX)"

# --- the two hosts ----------------------------------------------------------------------------------------------
log "namespaces $NS_A and $NS_B, veth $IF_A <-> $IF_B"
for ns in "$NS_A" "$NS_B"; do
  ip netns add "$ns"
  # before the veth exists, so it inherits them: no DAD delay, no router solicitations in the captures
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
    net.ipv6.conf.default.router_solicitations=0 net.ipv6.conf.all.router_solicitations=0
done
ip link add "$IF_A" netns "$NS_A" type veth peer name "$IF_B" netns "$NS_B"
for side in A B; do
  ns_var="NS_$side" if_var="IF_$side" v4_var="V4_$side" v6_var="V6_$side"
  ns=${!ns_var} dev=${!if_var}
  ip -n "$ns" link set lo up
  ip -n "$ns" link set "$dev" mtu 1500
  ip -n "$ns" addr add "${!v4_var}/24" dev "$dev"
  ip -n "$ns" addr add "${!v6_var}/64" dev "$dev" nodad
  # wire-sized frames: no TSO/GSO/GRO super-frames, no checksum offload (the stack fills every checksum in)
  ip netns exec "$ns" ethtool -K "$dev" tso off gso off gro off tx off rx off sg off tx-udp-segmentation off >/dev/null
  ip -n "$ns" link set "$dev" up
done
ip netns exec "$NS_A" ethtool -k "$IF_A" >"$WORK/offloads.txt"
for feature in tcp-segmentation-offload generic-segmentation-offload generic-receive-offload tx-checksumming rx-checksumming; do
  grep -q "^$feature: off" "$WORK/offloads.txt" || die "$IF_A: $feature is still on"
done
reachable() {  # reachable PING-ARGS...: up to 10 tries, IPv6 waits for the kernel to see the carrier (linkwatch)
  for _ in $(seq 10); do ip netns exec "$NS_A" ping -c 1 -W 1 "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  return 1
}
reachable "$V4_B" || die "no IPv4 path between the namespaces"
reachable -6 "$V6_B" || die "no IPv6 path between the namespaces"
sleep 2  # let link-up chatter (IPv6 MLD reports) pass before the first capture

# --- servers on the server side ---------------------------------------------------------------------------------
start_server() {  # start_server NAME ARGS...: runs traffic.py ARGS in the server namespace, waits for "ready"
  local name=$1; shift
  ip netns exec "$NS_B" "$PY" "$TOOLS/traffic.py" "$@" >"$WORK/$name.out" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do grep -q ready "$WORK/$name.out" 2>/dev/null && return 0; sleep 0.1; done
  die "server $name did not start: $(cat "$WORK/$name.out")"
}
"$PY" "$TOOLS/traffic.py" http-site --root "$WORK/site"
start_server tcp4 tcp-sink --bind "$V4_B" --port 5001
start_server tcp6 tcp-sink --bind "$V6_B" --port 5001
start_server http4 http-serve --bind "$V4_B" --port 80 --root "$WORK/site"
start_server http6 http-serve --bind "$V6_B" --port 80 --root "$WORK/site"
start_server dns4 dns-serve --bind "$V4_B" --port 53
start_server dns6 dns-serve --bind "$V6_B" --port 53

client() { ip netns exec "$NS_A" "$PY" "$TOOLS/traffic.py" "$@"; }
cping() { ip netns exec "$NS_A" ping -q "$@" >/dev/null; }

# --- what each capture holds (also quoted in MANIFEST.md) -------------------------------------------------------
traffic_bulk-tcp() {
  client tcp-send --to "$V4_B" --port 5001 --bytes 2097152
}
traffic_http() {
  client http-get --to "$V4_B" --port 80 --rounds 4
}
traffic_dns-udp() {
  client dns-query --to "$V4_B" --port 53 --count 400
  client udp-probe --to "$V4_B" --port 33434 --count 4   # a closed port: ICMP port unreachable comes back
}
traffic_icmp() {
  cping -c 20 -i 0.02 -s 56 "$V4_B"      # default echo, 98-byte frames
  cping -c 10 -i 0.02 -s 1000 "$V4_B"
  cping -c 10 -i 0.02 -s 1472 "$V4_B"    # exactly 1514-byte frames
  cping -c 5 -i 0.05 -s 4000 "$V4_B"     # IPv4 fragments
  client udp-probe --to "$V4_B" --port 33434 --count 4
}
traffic_ipv6() {
  cping -6 -c 20 -i 0.02 -s 56 "$V6_B"
  cping -6 -c 10 -i 0.02 -s 1452 "$V6_B" # exactly 1514-byte frames
  cping -6 -c 5 -i 0.05 -s 4000 "$V6_B"  # IPv6 fragment headers
  client tcp-send --to "$V6_B" --port 5001 --bytes 786432
  client http-get --to "$V6_B" --port 80 --rounds 2
  client dns-query --to "$V6_B" --port 53 --count 100
}
traffic_mixed() {  # everything at once, IPv4 and IPv6 interleaved
  local pids=()
  client tcp-send --to "$V4_B" --port 5001 --bytes 1048576 & pids+=($!)
  client tcp-send --to "$V6_B" --port 5001 --bytes 262144 & pids+=($!)
  client http-get --to "$V4_B" --port 80 --rounds 2 & pids+=($!)
  client http-get --to "$V6_B" --port 80 --rounds 1 & pids+=($!)
  client dns-query --to "$V4_B" --port 53 --count 150 --interval 0.005 & pids+=($!)
  client dns-query --to "$V6_B" --port 53 --count 50 --interval 0.01 & pids+=($!)
  cping -c 30 -i 0.02 -s 56 "$V4_B" & pids+=($!)
  cping -6 -c 20 -i 0.02 -s 1000 "$V6_B" & pids+=($!)
  local failed=0
  for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
  return $failed
}

record() {  # record NAME: capture NAME.pcap while its traffic runs
  local name=$1 out="$HERE/$1.pcap" err="$WORK/$1.record.log"
  ip -n "$NS_A" neigh flush dev "$IF_A"; ip -n "$NS_B" neigh flush dev "$IF_B"  # each capture resolves its peer
  log "$name: recording on $NS_A/$IF_A"
  ip netns exec "$NS_A" $OVERLAY record --interface "$IF_A" --out "$out" --duration 300 --quiet 2>"$err" &
  local recorder=$!
  PIDS+=($recorder)
  for _ in $(seq 300); do grep -q "overlay record: capturing" "$err" 2>/dev/null && break; sleep 0.1; done
  grep -q "overlay record: capturing" "$err" || die "$name: overlay record did not start: $(cat "$err")"
  "traffic_$name" || die "$name: traffic failed"
  sleep 0.5  # the last ACKs and FINs
  kill -USR1 "$recorder"
  wait "$recorder" || die "$name: overlay record failed: $(cat "$err")"
  log "$(tail -n 1 "$err")"
}

for name in "${NAMES[@]}"; do record "$name"; done

# --- MANIFEST.md ------------------------------------------------------------------------------------------------
"$PY" "$TOOLS/manifest.py" --captures "$HERE" --script "$HERE/record.sh" --offloads "$WORK/offloads.txt" \
  --namespaces "ovb-client-PID/ovb-server-PID" >"$WORK/MANIFEST.md"
mv "$WORK/MANIFEST.md" "$HERE/MANIFEST.md"
log "wrote $(for n in "${NAMES[@]}"; do printf '%s.pcap ' "$n"; done)and MANIFEST.md"
