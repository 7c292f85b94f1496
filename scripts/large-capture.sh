#!/usr/bin/env bash
# Streams synthetic captures of 10^5, 10^6 and 10^7 packets (or the counts given) through `overlay analyze` and
# records its peak memory, to show that memory does not grow with a capture's length beyond the arena (chunk) size,
# and its time: wall clock, and the user and system CPU time of the analysis, with the load average beside them.
#
#   scripts/large-capture.sh [PACKETS...]         default: 100000 1000000 10000000
#
# Each capture is generated on the fly by scripts/synth-capture.py into a FIFO (nothing is written to disk or
# committed) and analysed in streaming mode: `overlay analyze --in FIFO --no-throughput --arena-mib 64` with every
# variant, under /usr/bin/time -v. A new flow starts every 16 packets, so flows grow with the length as on a real link.
# Before those, times `capinfos` against `overlay analyze` (all variants, default settings) on a synthetic 300,000-packet
# capture and on every bundled capture (captures/*.pcap).
# Writes results/large-captures.json and results/large-captures.md; exits 1 if an analysis fails or if the peak
# resident set grows by more than the arena size (64 MiB) from the second-smallest capture to the largest (the
# smallest may hold fewer flows than the bounded flow sample, 32,768 per variant, so it sits below the plateau).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(100000 1000000 10000000)
arena_mib=64

if [ ! -x /usr/bin/time ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends time >/dev/null
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The commit the published tool was built from (taken now: the tree may move on during a long run).
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src 2>/dev/null || echo "+changes")
work=$(mktemp -d "${TMPDIR:-/tmp}/overlay-large.XXXXXX")
trap 'rm -rf "$work"' EXIT
dotnet publish src/Overlay.Cli/Overlay.Cli.csproj -c Release -o "$work/bin" --nologo -v quiet >/dev/null

# Against capinfos (Wireshark's reader, which only reads and counts): the synthetic 300,000-packet capture, written to a
# file this time, and every bundled capture, each read by `capinfos` and analysed by `overlay analyze` with all variants
# and default settings. Each is timed by /usr/bin/time: wall clock, user and system CPU.
if ! command -v capinfos >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends tshark >/dev/null
fi
python3 scripts/synth-capture.py 300000 "$work/synthetic-300000.pcap"
compared=()
for capture in "$work/synthetic-300000.pcap" captures/*.pcap; do
  /usr/bin/time -f '%e %U %S' -o "$work/capinfos.txt" capinfos "$capture" >/dev/null
  /usr/bin/time -f '%e %U %S' -o "$work/analyze.txt" dotnet "$work/bin/overlay.dll" analyze --in "$capture" --quiet >/dev/null
  compared+=("$(basename "$capture") $(stat -c %s "$capture") $(cat "$work/capinfos.txt") $(cat "$work/analyze.txt") $(cut -d' ' -f1 /proc/loadavg)")
done
printf '%s\n' "${compared[@]}" >"$work/compared.txt"

rows=()
for n in "${counts[@]}"; do
  fifo=$work/capture-$n.pcap
  mkfifo "$fifo"
  python3 scripts/synth-capture.py "$n" "$fifo" &
  generator=$!
  started=$(date +%s.%N)
  status=0
  /usr/bin/time -v -o "$work/time-$n.txt" dotnet "$work/bin/overlay.dll" analyze --in "$fifo" --no-throughput \
    --arena-mib "$arena_mib" --json "$work/result-$n.json" --quiet >/dev/null 2>"$work/stderr-$n.txt" || status=$?
  wait "$generator" || status=1
  seconds=$(echo "$(date +%s.%N) - $started" | bc)
  rss_kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time-$n.txt")
  # CPU time moves less than the wall clock when other work shares the machine; the load average says how busy it was.
  user_s=$(awk -F': ' '/User time/ { print $2 }' "$work/time-$n.txt")
  system_s=$(awk -F': ' '/System time/ { print $2 }' "$work/time-$n.txt")
  load=$(cut -d' ' -f1 /proc/loadavg)
  if [ "$status" -ne 0 ]; then
    echo "analyze of $n packets failed (exit $status):" >&2
    cat "$work/stderr-$n.txt" >&2
    exit 1
  fi
  rows+=("$n $rss_kib $seconds $user_s $system_s $load $work/result-$n.json")
  echo "$n packets: peak RSS $((rss_kib / 1024)) MiB in ${seconds%.*} s (user $user_s s, system $system_s s, load average $load)"
done

mkdir -p results
python3 - "$arena_mib" "$commit" "$work/compared.txt" "${rows[@]}" <<'EOF'
import json, platform, subprocess, sys, datetime
arena = int(sys.argv[1])
commit = sys.argv[2]
compared = []
for line in open(sys.argv[3]):
    name, size, c_wall, c_user, c_sys, a_wall, a_user, a_sys, load = line.split()
    c_cpu, a_cpu = float(c_user) + float(c_sys), float(a_user) + float(a_sys)
    compared.append({
        "capture": name, "bytes": int(size),
        "capinfos": {"seconds": float(c_wall), "userSeconds": float(c_user), "systemSeconds": float(c_sys)},
        "analyze": {"seconds": float(a_wall), "userSeconds": float(a_user), "systemSeconds": float(a_sys)},
        "ratioWall": round(float(a_wall) / max(float(c_wall), 0.01), 2),
        "ratioCpu": round(a_cpu / max(c_cpu, 0.01), 2),
        "loadAverage": float(load),
    })
runs = []
for row in sys.argv[4:]:
    n, rss, seconds, user, system, load, path = row.split()
    doc = json.load(open(path))
    capture = doc["captures"][0]
    results = doc["results"]
    runs.append({
        "packets": int(n),
        "packetsAnalysed": int(capture["packets"]["value"]),
        "bytes": int(capture["bytes"]["value"]),
        "flows": int(max(r["ecmp"]["flows"]["value"] for r in results)),
        "flowsEstimated": any(r["ecmp"].get("estimated", False) for r in results),
        "variants": len(results),
        "peakRssMiB": round(int(rss) / 1024, 1),
        "seconds": round(float(seconds), 1),
        "userSeconds": round(float(user), 1),
        "systemSeconds": round(float(system), 1),
        "loadAverage": float(load),
    })
base = runs[1] if len(runs) > 2 else runs[0]
growth = runs[-1]["peakRssMiB"] - base["peakRssMiB"]
document = {
    "what": "peak resident memory of `overlay analyze --no-throughput --arena-mib %d` (all variants) streaming synthetic captures from a FIFO (scripts/large-capture.sh)" % arena,
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "commit": commit,
    "machine": {"os": platform.platform(), "cpus": subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()},
    "arenaMiB": arena,
    "againstCapinfos": compared,
    "runs": runs,
    "growthMiB": {"from": base["packets"], "to": runs[-1]["packets"], "value": round(growth, 1), "limit": arena, "ok": growth <= arena},
}
json.dump(document, open("results/large-captures.json", "w"), indent=2)
with open("results/large-captures.md", "w") as f:
    f.write("# Large captures: time and peak memory of `overlay analyze`\n\n")
    f.write(f"Synthetic Ethernet captures (scripts/synth-capture.py: IMIX-like sizes, IPv4/IPv6, TCP/UDP, a new flow every "
            f"16 packets) streamed from a FIFO through `overlay analyze --no-throughput --arena-mib {arena}` with all "
            f"{runs[0]['variants']} variants; peak resident set from `/usr/bin/time -v`. Commit {commit}, {document['date']}.\n\n")
    f.write("| packets | bytes | flows | peak RSS (MiB) | time (s) | user CPU (s) | system CPU (s) | load average |\n"
            "|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    for r in runs:
        flows = f"{r['flows']:,}" + (" (estimated)" if r["flowsEstimated"] else "")
        f.write(f"| {r['packets']:,} | {r['bytes']:,} | {flows} | {r['peakRssMiB']:,} | {r['seconds']:,} | "
                f"{r['userSeconds']:,} | {r['systemSeconds']:,} | {r['loadAverage']} |\n")
    f.write(f"\nTime is the wall clock from the generator's start to the analysis' end (the generator, scripts/synth-capture.py, "
            f"runs beside the analysis and feeds it through the FIFO); user and system CPU are the analysis' own (`/usr/bin/time -v`), "
            f"which other work on the machine moves less; the load average is the 1-minute one at the end of each run, "
            f"on a machine of {document['machine']['cpus']} CPUs.\n")
    f.write("\n## Against capinfos\n\n`capinfos FILE` (Wireshark's reader: it reads every record and counts) against `overlay analyze --in FILE` "
            "(every variant, default settings: no timed passes), each under `/usr/bin/time`; the synthetic capture is "
            "`scripts/synth-capture.py 300000` written to a file. CPU is user plus system time.\n\n")
    f.write("| capture | bytes | capinfos wall (s) | capinfos CPU (s) | analyze wall (s) | analyze CPU (s) | wall ratio | CPU ratio | load average |\n"
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n")
    for c in compared:
        ci, an = c["capinfos"], c["analyze"]
        f.write(f"| {c['capture']} | {c['bytes']:,} | {ci['seconds']} | {ci['userSeconds'] + ci['systemSeconds']:.2f} | {an['seconds']} | "
                f"{an['userSeconds'] + an['systemSeconds']:.2f} | {c['ratioWall']} | {c['ratioCpu']} | {c['loadAverage']} |\n")
    f.write("\n## Memory\n")
    verdict = "within" if growth <= arena else "MORE than"
    f.write(f"\nFrom {base['packets']:,} to {runs[-1]['packets']:,} packets the peak grows by {growth:.1f} MiB, {verdict} the "
            f"{arena} MiB arena. Memory is the runtime, one table of TCP flows per IP family shared by the variants (at most "
            f"262,144 flows each), and per variant a bounded sample of flows and outer keys (exact up to 32,768, distinct sampling beyond): the smallest capture's "
            f"flows do not fill that sample yet, so it sits below the plateau the longer ones share. Frames are counted as they "
            f"are read: the arena (frames and their pristine copy) is filled only when throughput is timed (--throughput), "
            f"which this run does not ask for.\n")
print(json.dumps(document["growthMiB"]))
sys.exit(0 if growth <= arena else 1)
EOF
