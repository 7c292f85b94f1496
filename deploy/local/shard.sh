#!/usr/bin/env bash
# The sharded analysis on one machine with many cores: N `overlay analyze --shard i/N` processes at once over the same
# captures, then `overlay merge` of their N results into one document (and `overlay report` over it, if asked).
#
#   deploy/local/shard.sh [-n N] --out FILE [--report DIR] CAPTURE... [-- ANALYZE-OPTION...]
#
#   -n, --shards N   processes, so shards, 1..1024 (default: the cores, nproc)
#   --out FILE       the merged analysis document (JSON); written only when every shard succeeded
#   --report DIR     also render REPORT.md and the charts of the merged document into DIR
#   -- …             passed to every `overlay analyze`, e.g. -- --variants vxlan-ipv4,geneve-ipv4 --no-throughput
#
# The tool: $OVERLAY if set (a command line, e.g. OVERLAY="dotnet /opt/overlay/overlay.dll"), else `overlay` on PATH,
# else this checkout's src/Overlay.Cli, built once first. Each shard's output goes to its own log in a temporary folder,
# which is removed on every exit, Ctrl-C included (the shards still running are stopped first). Exit 0 when every shard
# and the merge succeeded; 1 when any failed (each failed shard named, with the end of its log); 2 on a wrong command
# line; 130 when interrupted.
set -euo pipefail
usage() { sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; }
fail_usage() { echo "shard.sh: $1" >&2; echo "usage: shard.sh [-n N] --out FILE [--report DIR] CAPTURE... [-- ANALYZE-OPTION...]" >&2; exit 2; }

shards=$(nproc)
out=
report=
captures=()
extra=()
while [ $# -gt 0 ]; do
  case $1 in
    -n|--shards)
      if ! [[ ${2:-} =~ ^[0-9]+$ ]] || [ "$2" -lt 1 ] || [ "$2" -gt 1024 ]; then fail_usage "$1 ${2:-}: expected a shard count 1..1024"; fi
      shards=$2; shift 2 ;;
    --out) [ -n "${2:-}" ] || fail_usage "--out needs a file"; out=$2; shift 2 ;;
    --report) [ -n "${2:-}" ] || fail_usage "--report needs a folder"; report=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    -*) fail_usage "unknown option $1 (accepted: -n/--shards N, --out FILE, --report DIR, --help, -- ANALYZE-OPTION...)" ;;
    *) captures+=("$1"); shift ;;
  esac
done
[ -n "$out" ] || fail_usage "--out FILE is required"
[ ${#captures[@]} -gt 0 ] || fail_usage "name at least one capture"
for capture in "${captures[@]}"; do [ -r "$capture" ] || fail_usage "$capture: no such capture (or not readable)"; done

if [ -n "${OVERLAY:-}" ]; then
  read -r -a overlay <<<"$OVERLAY"
elif command -v overlay >/dev/null 2>&1; then
  overlay=(overlay)
else
  repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  echo "shard.sh: building $repo/src/Overlay.Cli (no overlay on PATH)" >&2
  dotnet build "$repo/src/Overlay.Cli" -c Release --nologo -v quiet >&2
  overlay=(dotnet "$repo/src/Overlay.Cli/bin/Release/net10.0/overlay.dll")
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/overlay-shards.XXXXXX")
pids=()
cleanup() {
  # Shards still running (an interrupt, a failed merge) are stopped before their folder goes.
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

started=$SECONDS
for ((i = 0; i < shards; i++)); do
  "${overlay[@]}" analyze --in "${captures[@]}" --shard "$i/$shards" --json "$scratch/shard-$i.json" --quiet "${extra[@]}" \
    >"$scratch/shard-$i.log" 2>&1 &
  pids+=($!)
done
echo "shard.sh: $shards shards of ${captures[*]} running (logs in $scratch)" >&2

failed=()
for ((i = 0; i < shards; i++)); do
  status=0
  wait "${pids[$i]}" || status=$?
  if [ "$status" -ne 0 ]; then
    failed+=("$i")
    echo "shard.sh: shard $i/$shards failed (exit $status); the end of its log:" >&2
    tail -n 5 "$scratch/shard-$i.log" | sed "s/^/  shard $i: /" >&2
  fi
done
pids=()
if [ ${#failed[@]} -gt 0 ]; then
  echo "shard.sh: ${#failed[@]} of $shards shards failed (${failed[*]}); nothing merged, $out not written" >&2
  exit 1
fi

inputs=()
for ((i = 0; i < shards; i++)); do inputs+=("$scratch/shard-$i.json"); done
"${overlay[@]}" merge --in "${inputs[@]}" --out "$out"
echo "shard.sh: $shards shards analysed and merged into $out in $((SECONDS - started)) s" >&2
if [ -n "$report" ]; then
  # The report reads every result file in a folder: the merged document alone goes in one.
  mkdir -p "$scratch/merged"
  cp "$out" "$scratch/merged/analysis.json"
  "${overlay[@]}" report --results "$scratch/merged" --out "$report"
fi
