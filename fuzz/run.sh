#!/usr/bin/env bash
# Fuzzes one target (or all) with AFL++ and SharpFuzz for a fixed number of executions.
#
#   fuzz/run.sh TARGET|all EXECS
#
# TARGET: decap, srv6-end, srv6-end-csid, capture-reader, link-normaliser, encap (or all, one after the other).
# EXECS: executions per target (afl-fuzz -E); CI's short pass is 100000, the full pass 10000000.
# Installs afl++ (Debian) and the SharpFuzz tool (NuGet, under fuzz/.build) when missing, publishes fuzz/Overlay.Fuzz,
# instruments the project's assemblies, seeds from the project's captures and tests/data/captures, the hostile corpus and every
# committed crash (tests/corpus/fuzz/TARGET), and runs afl-fuzz. Findings go to fuzz/.build/findings/TARGET; a summary
# line per target to standard output and fuzz/.build/findings/summary.tsv (OVERLAY_FUZZ_BUILD moves fuzz/.build). Exits 1 if any target crashed or hung:
# copy each input under findings/TARGET/default/crashes into tests/corpus/fuzz/TARGET/ and fix the bug.
# OVERLAY_FUZZ_SEED=N fixes afl-fuzz's random seed (-s N): CI's short pass is then the same on every run.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

targets_all=(decap srv6-end srv6-end-csid capture-reader link-normaliser encap)
target=${1:?usage: fuzz/run.sh TARGET|all EXECS}
execs=${2:?usage: fuzz/run.sh TARGET|all EXECS}
if [ "$target" = all ]; then targets=("${targets_all[@]}"); else targets=("$target"); fi
for t in "${targets[@]}"; do
  [[ " ${targets_all[*]} " == *" $t "* ]] || { echo "unknown target $t; targets: ${targets_all[*]}" >&2; exit 2; }
done

# OVERLAY_FUZZ_BUILD: where the instrumented build, seeds and findings go (default fuzz/.build), so that two runs
# (a long pass and a short one) need not share one.
build=${OVERLAY_FUZZ_BUILD:-$repo/fuzz/.build}
mkdir -p "$build"

if ! command -v afl-fuzz >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends afl++ >/dev/null
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
sharpfuzz=$build/tools/sharpfuzz
if [ ! -x "$sharpfuzz" ]; then
  dotnet tool install --tool-path "$build/tools" SharpFuzz.CommandLine --version 2.3.0 >/dev/null
fi

# Publish and instrument once per source state: the stamp names the sources' hash.
stamp=$( (cat fuzz/Overlay.Fuzz/*.cs fuzz/Overlay.Fuzz/*.csproj; find src/Overlay.Encapsulation src/Overlay.Replay -name '*.cs' -o -name '*.csproj' | sort | xargs cat) | sha256sum | cut -c1-16)
bin=$build/bin
if [ "$(cat "$build/stamp" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$bin" "$build/seeds"
  dotnet publish fuzz/Overlay.Fuzz/Overlay.Fuzz.csproj -c Release -o "$bin" --nologo -v quiet >/dev/null
  for dll in Overlay.Encapsulation.dll Overlay.Replay.dll SharpPcap.dll; do
    "$sharpfuzz" "$bin/$dll" >/dev/null
  done
  echo "$stamp" > "$build/stamp"
fi
fuzz() { dotnet "$bin/Overlay.Fuzz.dll" "$@"; }

if [ ! -d "$build/seeds" ]; then
  shopt -s nullglob
  fuzz --seeds "$build/seeds" captures/*.pcap* tests/data/captures/*/*.pcap* >/dev/null
  cp tests/corpus/hostile/*.pcap* "$build/seeds/capture-reader/" 2>/dev/null || true
  shopt -u nullglob
fi

export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
export AFL_FAST_CAL=1 AFL_FORKSRV_INIT_TMOUT=60000 AFL_QUIET=1 AFL_NO_CRASH_README=1
# A RAM disk for AFL's current input and the capture-reader target's file: on a disk, rewriting a file per execution
# costs milliseconds and makes that target 40 times slower.
ramdisk=/dev/shm; [ -w "$ramdisk" ] || ramdisk=${TMPDIR:-/tmp}
tmp=$(mktemp -d "$ramdisk/overlay-fuzz.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export AFL_TMPDIR=$tmp OVERLAY_FUZZ_TMP=$tmp

summary=$build/findings/summary.tsv
mkdir -p "$build/findings"
[ -f "$summary" ] || printf 'target\texecs_requested\texecs_done\tseconds\texecs_per_sec\tcrashes\thangs\tpaths\tdate\tcommit\n' > "$summary"
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
status=0 passed=0 failed=0
for t in "${targets[@]}"; do
  seeds=$build/seeds/$t
  if [ -d "tests/corpus/fuzz/$t" ]; then cp tests/corpus/fuzz/$t/* "$seeds/" 2>/dev/null || true; fi
  out=$build/findings/$t
  rm -rf "$out"
  log=$build/findings/$t.log
  started=$(date +%s)
  # -t: a .NET input runs in microseconds; 2 s only catches a real hang. -m none: the runtime maps far more than AFL's default.
  seed=(); [ -z "${OVERLAY_FUZZ_SEED:-}" ] || seed=(-s "$OVERLAY_FUZZ_SEED")
  run_afl() { afl-fuzz -i "$seeds" -o "$out" -E "$execs" -t 2000 -m none "${seed[@]}" -- dotnet "$bin/Overlay.Fuzz.dll" "$t" >"$log" 2>&1; }
  # On a loaded machine AFL's dry run can miss a .NET target's first coverage and abort with "No instrumentation
  # detected" before fuzzing anything: that start (and only that) is tried once more. Crashes and hangs are never retried.
  afl_ok=1
  if ! run_afl; then
    afl_ok=0
    if grep -q "No instrumentation detected" "$log"; then
      echo "fuzz $t: AFL saw no instrumentation at start (machine under load); trying the start once more" >&2
      rm -rf "$out"
      run_afl && afl_ok=1
    fi
  fi
  if [ "$afl_ok" -eq 0 ]; then
    echo "afl-fuzz failed on $t; the last lines of $log:" >&2
    tail -20 "$log" >&2
    status=1 failed=$((failed + 1))
    continue
  fi
  stats=$out/default/fuzzer_stats
  get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
  crashes=$(get saved_crashes); hangs=$(get saved_hangs); done_=$(get execs_done); paths=$(get corpus_count)
  seconds=$(( $(date +%s) - started ))
  rate=$(( done_ / (seconds > 0 ? seconds : 1) ))
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$t" "$execs" "$done_" "$seconds" "$rate" "$crashes" "$hangs" "$paths" "$(date -u +%FT%TZ)" "$commit" >> "$summary"
  echo "fuzz $t: $done_ executions in ${seconds}s ($rate/s), $crashes crashes, $hangs hangs, $paths paths"
  if [ "${crashes:-0}" = 0 ] && [ "${hangs:-0}" = 0 ]; then passed=$((passed + 1)); fi
  if [ "${crashes:-0}" != 0 ] || [ "${hangs:-0}" != 0 ]; then
    status=1 failed=$((failed + 1))
    echo "fuzz $t: crashing inputs (replayed uninstrumented below) are in $out/default/crashes and hangs in $out/default/hangs" >&2
    timeout 300 dotnet "$bin/Overlay.Fuzz.dll" "$t" "$out/default/crashes" >&2 || true
  fi
done
echo "fuzz: $passed passed, $failed failed"
exit $status
