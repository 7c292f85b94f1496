#!/usr/bin/env bash
# Instructions per packet under Cachegrind: a deterministic cost beside the benchmarks' timings.
# Each case (an operation of one variant at one inner frame size) runs in bench/Overlay.Instructions, compiled ahead of
# time (NativeAOT, x86-64-v3), twice: for N and for 2N packets, each after the same set-up and one untimed round.
# Everything but the packets cancels in the difference, so (Ir(2N) − Ir(N)) / N is the per-packet path's own count.
# Operations: copy, in-place and decap of every standard variant at 64 B, 1500 B and IMIX; SRv6 End (srv6-encaps-3sid)
# and End with NEXT-C-SID (srv6-csid-3sid). bench/README.md says why NativeAOT and not the JIT.
#
#   bench/instructions.sh                                   every case into results/
#   bench/instructions.sh --variants vxlan-ipv4,gre-l3-ipv4 --operations copy,in-place --out /tmp/i
#
# Options: --variants LIST (comma-separated, default every standard variant), --operations LIST (default every one),
# --sizes LIST (default 64,1500,imix), --out DIR (default results; writes DIR/instructions.json and .md),
# --cache-sim (also L1 and last-level cache misses per packet: slower), --packets N (default 48000, a multiple of 48),
# --repeat K (K pairs of runs per case, the median reported with the spread; default 1), --jobs J (default: the cores).
# Needs valgrind (apt-get install valgrind) and the .NET SDK; a case's runs are deterministic, so on an unchanged tree
# the counts repeat to well under 0.1 %. Exit 0: written; 2: a broken run or a bad option.
set -euo pipefail
cd "$(dirname "$0")/.."

DRIVER_PROJECT=bench/Overlay.Instructions
variants="" operations="" sizes="64,1500,imix" out=results cache_sim=no packets=48000 repeat=1 jobs=$(nproc)
while [ $# -gt 0 ]; do
  case "$1" in
    --variants) variants=$2; shift ;;
    --operations) operations=$2; shift ;;
    --sizes) sizes=$2; shift ;;
    --out) out=$2; shift ;;
    --cache-sim) cache_sim=yes ;;
    --packets) packets=$2; shift ;;
    --repeat) repeat=$2; shift ;;
    --jobs) jobs=$2; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "instructions.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  [ $# -gt 0 ] && shift
done

fail() { echo "instructions.sh: error: $*" >&2; exit 2; }
[[ "$packets" =~ ^[1-9][0-9]*$ ]] && [ $((packets % 48)) -eq 0 ] || fail "--packets '$packets' must be a positive multiple of 48"
[[ "$repeat" =~ ^[1-9][0-9]*$ ]] || fail "--repeat '$repeat' must be a positive number"
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || fail "--jobs '$jobs' must be a positive number"
command -v valgrind > /dev/null || fail "valgrind is not installed (apt-get install valgrind)"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# The commit counted, marked when the tree differs from it (the driver records it).
OVERLAY_COMMIT="$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
if [ "$OVERLAY_COMMIT" != unknown ] && ! git diff --quiet HEAD -- src bench 2>/dev/null; then OVERLAY_COMMIT+="+changes"; fi
export OVERLAY_COMMIT

work=$(mktemp -d "${TMPDIR:-/tmp}/overlay-instructions.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
echo "instructions.sh: compiling the driver ahead of time (NativeAOT, x86-64-v3)" >&2
dotnet publish "$DRIVER_PROJECT" -c Release -r linux-x64 -o "$work/driver" -nologo -v q > "$work/publish.log" 2>&1 \
  || { tail -n 30 "$work/publish.log" >&2; fail "the driver does not compile (log above)"; }
driver="$work/driver/Overlay.Instructions"
rm -f "$work/driver/"*.dbg

"$driver" list $variants > "$work/cases.all" || fail "the driver could not list the cases"
# Narrowed to the operations and sizes asked for (End runs at its own size, 256 B, whatever --sizes says).
awk -v ops="${operations}" -v sizes="$sizes" 'BEGIN { n = split(ops, o, ","); for (i = 1; i <= n; i++) want[o[i]] = 1; m = split(sizes, s, ","); for (i = 1; i <= m; i++) size[s[i]] = 1 }
  (ops == "" || ($1 in want)) && ($1 ~ /^end/ || ($3 in size))' "$work/cases.all" > "$work/cases"
[ -s "$work/cases" ] || fail "no case matches --variants '$variants' --operations '$operations' --sizes '$sizes'"
total=$(($(wc -l < "$work/cases") * repeat * 2))

# Address-space randomisation off where setarch can do it: then even start-up repeats to a few instructions.
norandom=()
if setarch "$(uname -m)" -R true 2> /dev/null; then norandom=(setarch "$(uname -m)" -R); fi

# One Cachegrind run: appends "operation variant size packets repeat events..." to its own file.
count() {
  local op=$1 variant=$2 size=$3 n=$4 rep=$5 file
  file="$work/runs/$op.$variant.$size.$n.$rep"
  "${norandom[@]}" valgrind --tool=cachegrind --cache-sim="$cache_sim" --branch-sim=no --cachegrind-out-file="$file.cg" \
      "$driver" run "$op" "$variant" "$size" "$n" > "$file.out" 2> "$file.err" \
    || { echo "instructions.sh: $op $variant $size ($n packets) failed:" >&2; tail -n 5 "$file.err" >&2; return 1; }
  local events
  events=$(sed -n 's/^summary: //p' "$file.cg")
  [ -n "$events" ] || { echo "instructions.sh: $op $variant $size ($n packets): no Cachegrind summary" >&2; return 1; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$op" "$variant" "$size" "$n" "$rep" "${events// /$'\t'}" > "$file.tsv"
  rm -f "$file.cg" "$file.out" "$file.err"
}
export -f count
export work driver cache_sim
export NORANDOM="${norandom[*]}"
mkdir -p "$work/runs"
echo "instructions.sh: $total Cachegrind runs ($(wc -l < "$work/cases") cases × $repeat × {$packets, $((2 * packets))} packets) on $jobs cores" >&2
start=$(date +%s)
while read -r op variant size; do
  for rep in $(seq 1 "$repeat"); do
    printf '%s %s %s %s %s\n' "$op" "$variant" "$size" "$packets" "$rep" "$op" "$variant" "$size" "$((2 * packets))" "$rep"
  done
done < "$work/cases" \
  | xargs -P "$jobs" -L 1 bash -c 'norandom=($NORANDOM); count "$@"' _ \
  || fail "a Cachegrind run failed (above)"
cat "$work/runs/"*.tsv > "$work/raw.tsv"
[ "$(wc -l < "$work/raw.tsv")" -eq "$total" ] || fail "$(wc -l < "$work/raw.tsv") of $total runs left counts"
echo "instructions.sh: counted in $(($(date +%s) - start)) s" >&2

"$driver" summarize "$work/raw.tsv" "$out" "$(valgrind --version)" "NativeAOT, x86-64-v3" || fail "the summary could not be written"
