#!/usr/bin/env bash
# Tests shard.sh's own logic with a stand-in for `overlay` (OVERLAY=stub): the N shard commands and the merge's inputs,
# a failed shard failing the run with nothing merged, an interrupt stopping the running shards, and the temporary folder
# gone after every one of them. The analysis and the merge themselves are the tool's and are tested with it.
#
#   deploy/local/test-shard.sh        exit 0 when every case passes, 1 otherwise
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/overlay-shard-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "test-shard: $1" >&2; failures=$((failures + 1)); }

# The stand-in records every call, writes what analyze and merge would, fails the shard STUB_FAIL names, and sleeps in
# place of analysing when STUB_SLEEP is set (exec, so stopping it stops the sleep).
cat >"$work/stub" <<'EOF'
#!/usr/bin/env bash
echo "$*" >>"$STUB_CALLS"
verb=$1; shift
if [ "$verb" = analyze ]; then
  while [ $# -gt 0 ]; do case $1 in --shard) shard=$2; shift ;; --json) json=$2; shift ;; esac; shift; done
  echo "$$" >>"$STUB_CALLS.pids"
  [ -z "${STUB_SLEEP:-}" ] || exec sleep "$STUB_SLEEP"
  if [ "${shard%/*}" = "${STUB_FAIL:-}" ]; then echo "capture.pcap: frame 7 at offset 1234: truncated IPv4 header" >&2; exit 1; fi
  echo "{\"shard\": \"$shard\"}" >"$json"
elif [ "$verb" = merge ]; then
  inputs=(); while [ $# -gt 0 ]; do case $1 in --in) shift; while [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; do inputs+=("$1"); shift; done; continue ;; --out) out=$2; shift ;; esac; shift; done
  cat "${inputs[@]}" >"$out"
fi
EOF
chmod +x "$work/stub"
echo "not really a capture" >"$work/capture.pcap"

# run NAME ARGS...: runs shard.sh with the stand-in and a TMPDIR of its own; sets status, calls and leftovers.
run() {
  local name=$1; shift
  mkdir -p "$work/$name/tmp"
  status=0
  STUB_CALLS=$work/$name/calls OVERLAY=$work/stub TMPDIR=$work/$name/tmp "$here/shard.sh" "$@" >"$work/$name/out" 2>&1 || status=$?
  calls=$(cat "$work/$name/calls" 2>/dev/null || true)
  leftovers=$(ls -A "$work/$name/tmp")
}

run success -n 3 --out "$work/success/analysis.json" "$work/capture.pcap" -- --variants vxlan-ipv4 --no-throughput
[ "$status" -eq 0 ] || fail "success: exit $status: $(cat "$work/success/out")"
for i in 0 1 2; do
  grep -qE -- "^analyze --in $work/capture.pcap --shard $i/3 --json .*/shard-$i\.json --quiet --variants vxlan-ipv4 --no-throughput$" <<<"$calls" ||
    fail "success: no analyze call for shard $i/3 with the options passed on: $calls"
done
grep -qE -- "^merge --in .*/shard-0\.json .*/shard-1\.json .*/shard-2\.json --out $work/success/analysis.json$" <<<"$calls" || fail "success: merge not called with shards 0, 1, 2 in order: $calls"
[ "$(cat "$work/success/analysis.json" 2>/dev/null)" = "$(printf '{"shard": "%s"}\n' 0/3 1/3 2/3)" ] || fail "success: the merged file is not the three shards' results"
[ -z "$leftovers" ] || fail "success: left in TMPDIR: $leftovers"

STUB_FAIL=1 run failure -n 3 --out "$work/failure/analysis.json" "$work/capture.pcap"
[ "$status" -eq 1 ] || fail "failure: exit $status, expected 1"
grep -qF "shard 1/3 failed (exit 1)" "$work/failure/out" || fail "failure: the failed shard is not named: $(cat "$work/failure/out")"
grep -qF "shard 1: capture.pcap: frame 7 at offset 1234" "$work/failure/out" || fail "failure: the shard's error is not shown"
grep -q "^merge" <<<"$calls" && fail "failure: merge was called after a shard failed"
[ ! -e "$work/failure/analysis.json" ] || fail "failure: --out was written after a shard failed"
[ -z "$leftovers" ] || fail "failure: left in TMPDIR: $leftovers"

run usage -n 0 --out "$work/usage.json" "$work/capture.pcap"
{ [ "$status" -eq 2 ] && grep -qF -- "-n 0: expected a shard count 1..1024" "$work/usage/out"; } || fail "usage: -n 0 gave exit $status: $(cat "$work/usage/out")"
run missing -n 2 --out "$work/missing.json" "$work/no-such.pcap"
{ [ "$status" -eq 2 ] && grep -qF "no-such.pcap: no such capture" "$work/missing/out"; } || fail "missing: exit $status: $(cat "$work/missing/out")"

# Interrupt: SIGINT to shard.sh alone (job control on, so it is not ignored as in a plain background job); it must stop
# the two sleeping shards itself and remove its folder.
mkdir -p "$work/interrupt/tmp"
set -m
STUB_SLEEP=60 STUB_CALLS=$work/interrupt/calls OVERLAY=$work/stub TMPDIR=$work/interrupt/tmp \
  "$here/shard.sh" -n 2 --out "$work/interrupt/analysis.json" "$work/capture.pcap" >"$work/interrupt/out" 2>&1 &
script=$!
set +m
for _ in $(seq 100); do
  if [ -f "$work/interrupt/calls.pids" ] && [ "$(wc -l <"$work/interrupt/calls.pids")" -ge 2 ]; then break; fi
  sleep 0.1
done
kill -INT "$script"
# Stopped within 10 s, not when the 60-second shards end by themselves.
for _ in $(seq 100); do kill -0 "$script" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$script" 2>/dev/null; then
  fail "interrupt: shard.sh still runs 10 s after SIGINT"
  while read -r pid; do kill "$pid" 2>/dev/null || true; done <"$work/interrupt/calls.pids"
fi
status=0; wait "$script" || status=$?
[ "$status" -eq 130 ] || fail "interrupt: exit $status, expected 130"
while read -r pid; do
  if kill -0 "$pid" 2>/dev/null; then fail "interrupt: shard process $pid still runs"; kill "$pid"; fi
done <"$work/interrupt/calls.pids"
[ -z "$(ls -A "$work/interrupt/tmp")" ] || fail "interrupt: left in TMPDIR: $(ls -A "$work/interrupt/tmp")"

if [ "$failures" -gt 0 ]; then echo "test-shard: $failures failed" >&2; exit 1; fi
echo "test-shard: success, failure, usage, missing capture and interrupt cases pass"
