#!/usr/bin/env bash
# Records the Linux-kernel encapsulation vectors the tests read from tests/data/kernel-vectors
# (tests/Overlay.Encapsulation.Tests/KernelVectorTests.cs): frames before and after the kernel itself encapsulated
# them, in VXLAN over IPv4 and IPv6 and in SRv6 H.Encaps, H.Encaps.Red and H.Encaps.L2.
#
# Usage (as root; GitHub's ubuntu-24.04 runners allow it with sudo):
#   scripts/record-kernel-vectors.sh [--only NAME[,NAME...]] [DEST]
#   DEST        where to write (default: tests/data/kernel-vectors in this repository; commit the result, and the
#               SHA-256 table in tests/data/MANIFEST.md with it)
#   --only      record only these vectors (default: all of vxlan4 vxlan6 srv6-encap-v6 srv6-encapred-v4 srv6-l2encap)
#   -h, --help  print this text.
# Writes, per NAME: DEST/kernel-NAME-inner.pcap (the Ethernet frames before encapsulation), DEST/kernel-NAME-encap.pcap
# (the same frames after it, one for one, in order) and DEST/kernel-NAME.json (the exact `ip link` / `ip route`
# command, addresses, VNI or SIDs, and what the kernel was observed to write in each outer field), then DEST/README.md.
# Needs ip (iproute2), ethtool, tcpdump and python3; installs the first three with apt-get when missing.
#
# How: network namespaces joined by veth pairs, every offload off (ethtool -K … tx off rx off tso off gso off gro off
# sg off), so the captured frames are what would cross a wire. Python sockets (scripts/kernel-vectors.py send) send
# IPv4 and IPv6 ICMP echo and UDP datagrams of several sizes, flows, TTLs and DSCPs.
#   VXLAN: the `ip link add … type vxlan` device in the local namespace; the inner frames are captured leaving the
#          VXLAN device, the encapsulated ones leaving the underlay veth (a remote namespace with the mirror device
#          answers ARP/NS, so the first frame of each family is an ARP request / neighbour solicitation).
#   SRv6:  a sender namespace, a router namespace with the `ip route add … encap seg6` route, and a next hop; the
#          inner frames are captured entering the router, the encapsulated ones leaving it after it forwarded them
#          once (so their outer hop limit is one less than the encapsulator wrote, as in the README's vectors).
# scripts/kernel-vectors.py pair then keeps the frames seen on both sides, checks that every datagram sent is there,
# writes them in order and computes the observed fields. Each file is written under a temporary name and renamed.
# Traffic stays inside the namespaces (documentation and unique-local addresses); they are deleted on exit.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
HELPER="$HERE/kernel-vectors.py"
ALL=(vxlan4 vxlan6 srv6-encap-v6 srv6-encapred-v4 srv6-l2encap)
PY=/usr/bin/python3; [[ -x $PY ]] || PY="$(command -v python3 || true)"

# The MAC addresses of the README's vectors (locally administered), so a re-recording differs from them only where
# the kernel chooses per packet.
MAC_UNDERLAY_LOCAL=ca:fd:ed:55:06:ad   # orc-ab: the encapsulator's underlay port (outer Ethernet source)
MAC_UNDERLAY_PEER=ca:c8:48:83:df:be    # orc-ba: the next hop (outer Ethernet destination)
MAC_VXLAN_LOCAL=02:0a:00:00:00:01 MAC_VXLAN_REMOTE=02:0b:00:00:00:01
MAC_SENDER=9a:d2:51:c6:a9:9b MAC_ROUTER_IN=56:7b:15:df:df:63

log() { printf '%s record-kernel-vectors: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }
usage_error() { log "$*"; log "see --help"; exit 2; }

DEST="" ONLY=""
while (($#)); do
  case $1 in
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    --only) (($# >= 2)) || usage_error "--only needs a list of names"; ONLY=$2; shift 2 ;;
    --only=*) ONLY=${1#--only=}; shift ;;
    -*) usage_error "unknown option $1" ;;
    *) [[ -z $DEST ]] || usage_error "more than one DEST ($DEST, $1)"; DEST=$1; shift ;;
  esac
done
DEST="${DEST:-$REPO/tests/data/kernel-vectors}"
NAMES=("${ALL[@]}")
if [[ -n $ONLY ]]; then
  IFS=', ' read -r -a NAMES <<<"$ONLY"
  for name in "${NAMES[@]}"; do
    [[ " ${ALL[*]} " == *" $name "* ]] || usage_error "unknown vector '$name' (known: ${ALL[*]})"
  done
fi

[[ $EUID -eq 0 ]] || die "run as root (it creates network namespaces and captures in them)"
[[ -n $PY ]] || die "python3 is missing"
[[ -r $HELPER ]] || die "$HELPER is missing"
missing=()
command -v ip >/dev/null || missing+=(iproute2)
command -v ethtool >/dev/null || missing+=(ethtool)
command -v tcpdump >/dev/null || missing+=(tcpdump)
command -v ping >/dev/null || missing+=(iputils-ping)
if ((${#missing[@]})); then
  command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
  log "installing ${missing[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
TCPDUMP="$(command -v tcpdump)"

mkdir -p "$DEST" || die "$DEST: cannot create the folder"
DEST="$(cd "$DEST" && pwd)"
[[ -w $DEST ]] || die "$DEST: not writable"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/kernel-vectors.XXXXXX")"
chmod 0755 "$WORK"
NAMESPACES=() CAPTURES=()

stop_captures() {
  local pid
  for pid in "${CAPTURES[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
  for pid in "${CAPTURES[@]}"; do wait "$pid" 2>/dev/null || true; done
  CAPTURES=()
}
delete_namespaces() {
  local ns pid
  for ns in "${NAMESPACES[@]}"; do
    # only processes this script started can be in its own namespaces
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  NAMESPACES=()
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_captures
  delete_namespaces
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- building blocks -------------------------------------------------------------------------------------------------
new_ns() {  # new_ns NAME: an empty namespace without IPv6 DAD, router solicitations or ping-socket restrictions
  local ns="okv$$-$1"
  ip netns add "$ns"
  NAMESPACES+=("$ns")
  # before any link exists, so every link inherits them
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
    net.ipv6.conf.all.router_solicitations=0 net.ipv6.conf.default.router_solicitations=0 \
    net.ipv4.ping_group_range="0 2147483647"
  ip -n "$ns" link set lo up
}
ns() { printf 'okv%s-%s' "$$" "$1"; }
offloads_off() {  # offloads_off NS DEV: wire-sized frames with every checksum filled in by the stack
  ip netns exec "$1" ethtool -K "$2" tx off rx off tso off gso off gro off sg off >/dev/null 2>&1 \
    || die "$2: ethtool could not turn its offloads off"
  local features
  features="$(ip netns exec "$1" ethtool -k "$2")"
  for feature in tx-checksumming rx-checksumming tcp-segmentation-offload generic-segmentation-offload generic-receive-offload; do
    grep -q "^$feature: off" <<<"$features" || die "$2: $feature is still on"
  done
}
veth() {  # veth NS_A DEV_A MAC_A NS_B DEV_B MAC_B MTU
  ip link add "$2" netns "$1" address "$3" mtu "$7" type veth peer name "$5" netns "$4" address "$6" mtu "$7"
  offloads_off "$1" "$2"
  offloads_off "$4" "$5"
  ip -n "$1" link set "$2" up
  ip -n "$4" link set "$5" up
}
addr() {  # addr NS DEV ADDR/LEN...
  local ns=$1 dev=$2; shift 2
  for a in "$@"; do ip -n "$ns" addr add "$a" dev "$dev" $([[ $a == *:* ]] && echo nodad); done
}
reachable() {  # reachable NS PING-ARGS...: up to 10 tries (IPv6 waits for the kernel to see the carrier)
  local ns=$1; shift
  for _ in $(seq 10); do ip netns exec "$ns" ping -c 1 -W 1 "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  return 1
}
start_capture() {  # start_capture NS DEV in|out FILE FILTER: tcpdump until stop_captures
  local log="$4.log"
  # -Z root: write the file as root (Debian's tcpdump drops to its own user first otherwise)
  ip netns exec "$1" "$TCPDUMP" -i "$2" -Q "$3" -n -s 0 -U --immediate-mode -Z root -w "$4" "$5" 2>"$log" &
  CAPTURES+=($!)
  for _ in $(seq 100); do grep -q "listening on" "$log" 2>/dev/null && return 0; sleep 0.1; done
  die "tcpdump on $2 did not start: $(cat "$log")"
}
send() {  # send NS PLAN ARGS...: the inner traffic; prints how many datagrams were sent
  ip netns exec "$1" "$PY" "$HELPER" send "${@:2}" || die "sending the $2 traffic failed"
}
pair() {  # pair NAME ARGS...: pairs $WORK/NAME-{inner,encap}.pcap into $WORK/out
  "$PY" "$HELPER" pair --name "$1" --inner "$WORK/$1-inner.pcap" --encap "$WORK/$1-encap.pcap" --out "$WORK/out" \
    --kernel "$(uname -r)" --iproute2 "$(ip -V)" "${@:2}" || die "$1: the captures are not one for one (see above)"
}

# --- VXLAN: local namespace with the VXLAN device, remote namespace with its mirror -------------------------------
record_vxlan() {  # record_vxlan NAME VNI LOCAL REMOTE OVERLAY4 OVERLAY6 (overlay: the .1 address; the remote is .2)
  local name=$1 vni=$2 local_ip=$3 remote_ip=$4 overlay4=$5 overlay6=$6
  local l r
  new_ns "$name-local"; new_ns "$name-remote"
  l=$(ns "$name-local") r=$(ns "$name-remote")
  veth "$l" orc-ab $MAC_UNDERLAY_LOCAL "$r" orc-ba $MAC_UNDERLAY_PEER 9000
  addr "$l" orc-ab 10.99.0.1/24 fd00:99::1/64
  addr "$r" orc-ba 10.99.0.2/24 fd00:99::2/64
  local config="ip link add orcvx type vxlan id $vni local $local_ip remote $remote_ip dstport 4789 dev orc-ab"
  # shellcheck disable=SC2086 # the recorded command, word for word
  ip -n "$l" ${config#ip }
  ip -n "$r" link add orcvx type vxlan id "$vni" local "$remote_ip" remote "$local_ip" dstport 4789 dev orc-ba
  ip -n "$l" link set orcvx address $MAC_VXLAN_LOCAL
  ip -n "$r" link set orcvx address $MAC_VXLAN_REMOTE
  offloads_off "$l" orcvx
  offloads_off "$r" orcvx
  addr "$l" orcvx "${overlay4}1/24" "${overlay6}1/64"
  addr "$r" orcvx "${overlay4}2/24" "${overlay6}2/64"
  # the remote knows the local end for good: it never asks, so the only ARP/NS frames are the local kernel's
  ip -n "$r" neigh add "${overlay4}1" lladdr $MAC_VXLAN_LOCAL dev orcvx nud permanent
  ip -n "$r" neigh add "${overlay6}1" lladdr $MAC_VXLAN_LOCAL dev orcvx nud permanent
  ip -n "$l" link set orcvx up
  ip -n "$r" link set orcvx up
  reachable "$l" "${overlay4}2" || die "$name: no IPv4 path through the VXLAN device"
  reachable "$l" -6 "${overlay6}2" || die "$name: no IPv6 path through the VXLAN device"
  ip -n "$l" neigh flush dev orcvx  # the traffic's first frame of each family resolves the remote again
  sleep 2  # link-up chatter (IPv6 MLD reports) passes before the captures start

  # MLD reports and router solicitations are the kernel's own chatter, not inner traffic
  start_capture "$l" orcvx out "$WORK/$name-inner.pcap" "not (ip6 dst ff02::16 or ip6 dst ff02::2)"
  start_capture "$l" orc-ab out "$WORK/$name-encap.pcap" "udp dst port 4789"
  local sent
  sent=$(send "$l" vxlan --dst4 "${overlay4}2" --dst6 "${overlay6}2")
  stop_captures
  pair "$name" --expect "$sent" --protocol vxlan --config "$config" --local "$local_ip" --remote "$remote_ip" \
    --vni "$vni" --dstport 4789 --overlay "${overlay4}1/24" --overlay "${overlay6}1/64"
  delete_namespaces
}

# --- SRv6: sender -> router (seg6 encap route) -> next hop ---------------------------------------------------------
record_srv6() {  # record_srv6 NAME MODE FAMILY PREFIX DESTINATION SIDS
  local name=$1 mode=$2 family=$3 prefix=$4 destination=$5 sids=$6
  local s e n
  new_ns "$name-sender"; new_ns "$name-router"; new_ns "$name-nexthop"
  s=$(ns "$name-sender") e=$(ns "$name-router") n=$(ns "$name-nexthop")
  veth "$s" orc-sa $MAC_SENDER "$e" orc-in $MAC_ROUTER_IN 1500
  veth "$e" orc-ab $MAC_UNDERLAY_LOCAL "$n" orc-ba $MAC_UNDERLAY_PEER 9000
  addr "$s" orc-sa 10.98.0.2/24 fd00:98::2/64
  addr "$e" orc-in 10.98.0.1/24 fd00:98::1/64
  addr "$e" orc-ab fd00:99::1/64
  addr "$n" orc-ba fd00:99::2/64
  ip netns exec "$e" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
  ip -n "$s" route add default via 10.98.0.1
  ip -n "$s" -6 route add default via fd00:98::1
  ip -n "$s" neigh add 10.98.0.1 lladdr $MAC_ROUTER_IN dev orc-sa nud permanent
  ip -n "$s" neigh add fd00:98::1 lladdr $MAC_ROUTER_IN dev orc-sa nud permanent
  # the SIDs lie behind the next hop; the outer source is the address the kernel picks for the first SID (fd00:99::1)
  ip -n "$e" -6 route add fc00::/16 via fd00:99::2 dev orc-ab
  ip -n "$e" neigh add fd00:99::2 lladdr $MAC_UNDERLAY_PEER dev orc-ab nud permanent
  local route="ip -$family route add $prefix encap seg6 mode $mode segs $sids dev orc-ab"
  # shellcheck disable=SC2086 # the recorded command, word for word
  ip -n "$e" ${route#ip }
  reachable "$s" 10.98.0.1 || die "$name: no IPv4 path from the sender to the router"
  reachable "$s" -6 fd00:98::1 || die "$name: no IPv6 path from the sender to the router"
  sleep 2

  local filter plan
  if [[ $family == 6 ]]; then filter="ip6 dst net $prefix" plan=(srv6-v6 --dst6 "$destination")
  else filter="ip dst net $prefix" plan=(srv6-v4 --dst4 "$destination"); fi
  start_capture "$e" orc-in in "$WORK/$name-inner.pcap" "$filter"
  start_capture "$e" orc-ab out "$WORK/$name-encap.pcap" "ip6 dst net fc00::/16"
  local sent
  sent=$(send "$s" "${plan[@]}")
  stop_captures
  pair "$name" --expect "$sent" --protocol srv6 --config "$route" --local fd00:99::1 --seg6-mode "$mode" --sids "$sids"
  delete_namespaces
}

record() {
  log "$1: recording"
  case $1 in
    vxlan4) record_vxlan vxlan4 4242 10.99.0.1 10.99.0.2 192.168.42. fd00:1092:: ;;
    vxlan6) record_vxlan vxlan6 6000 fd00:99::1 fd00:99::2 192.168.0. fd00:1770:: ;;
    srv6-encap-v6) record_srv6 srv6-encap-v6 encap 6 2001:db8:ff::/64 2001:db8:ff::5 fc00:1::1,fc00:2::1,fc00:3::1 ;;
    srv6-encapred-v4) record_srv6 srv6-encapred-v4 encap.red 4 198.51.101.0/24 198.51.101.5 fc00:1::1,fc00:2::1 ;;
    srv6-l2encap) record_srv6 srv6-l2encap l2encap 4 203.0.113.0/24 203.0.113.5 fc00:1::1,fc00:2::1,fc00:3::1 ;;
  esac
}

mkdir "$WORK/out"
for name in "${NAMES[@]}"; do record "$name"; done

for file in "$WORK"/out/*; do
  base="$(basename "$file")"
  cp "$file" "$DEST/.$base.tmp"
  chmod 0644 "$DEST/.$base.tmp"
  mv -f "$DEST/.$base.tmp" "$DEST/$base"
done

# --- README: what lies in DEST (also vectors an earlier --only run left there) ----------------------------------
"$PY" - "$DEST" "$(uname -r)" "$(ip -V)" >"$DEST/.README.md.tmp" <<'EOF_README'
import glob, json, os, sys
dest, kernel, iproute2 = sys.argv[1:4]
print(f"""# Linux-kernel encapsulation vectors

Recorded by `scripts/record-kernel-vectors.sh` of Overlay.Bench inside network namespaces joined by veth pairs with
every offload off (last run: Linux {kernel}; {iproute2}):

- `kernel-NAME-inner.pcap`: the frames before encapsulation (Ethernet);
- `kernel-NAME-encap.pcap`: the same frames after the kernel encapsulated them, one for one, in order;
- `kernel-NAME.json`: the exact `ip link` / `ip route` command, the addresses, VNI or SIDs, and what the kernel was
  observed to write in each outer field (`observed`).

Per packet the kernel chooses the outer IPv4 Identification and header checksum and the UDP source port and checksum.
The SRv6 frames were captured after the encapsulating router forwarded them once: their outer hop limit is one less
than the encapsulator wrote.

| NAME | kernel | configuration |
| --- | --- | --- |""")
for path in sorted(glob.glob(os.path.join(dest, "kernel-*.json"))):
    vector = json.load(open(path))
    name = os.path.basename(path)[len("kernel-"):-len(".json")]
    print(f"| {name} | {vector['kernel']} | `{vector.get('config') or vector['route']}` |")
EOF_README
chmod 0644 "$DEST/.README.md.tmp"
mv -f "$DEST/.README.md.tmp" "$DEST/README.md"
log "wrote ${NAMES[*]} and README.md to $DEST"
