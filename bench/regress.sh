#!/usr/bin/env bash
# The benchmark regression job: runs a fixed short subset of bench/Overlay.Benchmarks, compares it with the baseline
# history in results/baseline/ (`overlay compare`), and re-runs a suspected regression once, more carefully, before
# failing: the confirmation measures the commit that wrote the baseline again, interleaved with the current tree, and
# only a benchmark slower in both stages fails the job. Exit 0: no regression; 1: a regression confirmed by the re-run; 2: unusable input or a broken run.
# Both stages judge with a threshold of at least the runner's own noise: the 95th percentile of what unchanged code
# "changed" by between halves of the baseline history (an A/A test, `overlay compare --noise-history`), so the gate is
# as strict as the machine that recorded the baseline allows: 10 % on a quiet runner, about 40 % on the 2-core VM
# whose processes run in a fast or a slow state (results/baseline/README.md says what it measured).
#
#   bench/regress.sh                      run the subset and compare it with results/baseline/
#   bench/regress.sh --update-baseline    rewrite results/baseline/ from fresh runs (6 by default: a history, and its A/A noise)
#   bench/regress.sh --allocations-only   a quick run that compares bytes allocated per operation only (exact)
#   bench/regress.sh --instructions-only  instructions per packet under Cachegrind only (bench/instructions.sh), exact to 1 %
#
# Beside the wall-clock stage, the compare mode also counts instructions per packet of a subset (bench/instructions.sh)
# and compares them with results/baseline/instructions.json (`overlay compare --instructions`): deterministic counts, so
# +1 % on a case or an operation's geometric mean fails the job without a re-run. The job's exit is the worse of the
# two stages (2 before 1 before 0). --update-baseline records those counts too.
#
# Options: --runs N (baseline runs, default 6, at least 4), --out DIR (default results/regress), --baseline DIR (default
# results/baseline), --threshold 10%, --noise 0.5ns. Environment: REGRESS_FILTER (BenchmarkDotNet --filter globs, space
# separated), REGRESS_RUNS (current runs, default 3), RERUN_RUNS (interleaved pairs in the confirmation, default 5), ALLOC_FILTER (the same for --allocations-only), REGRESS_JOB, RERUN_JOB, ALLOC_JOB (BenchmarkDotNet job
# options), REGRESS_TIMEOUT (seconds per run), INSTRUCTIONS_VARIANTS, INSTRUCTIONS_OPERATIONS, INSTRUCTIONS_SIZES (the
# instruction subset, bench/instructions.sh's lists), INSTRUCTIONS_THRESHOLD (default 1%).
# Writes OUT/summary.md (also appended to $GITHUB_STEP_SUMMARY when set), OUT/compare.{md,json}, a chart of the
# changes (OUT/compare-changes.png), the same for a re-run, and every run's BenchmarkDotNet reports.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH=bench/Overlay.Benchmarks
# The fixed subset: encapsulation, decapsulation and SRv6 End, each class with its CopyBaseline calibration.
FILTER=${REGRESS_FILTER:-'*.EncapsulateBenchmarks.* *.DecapsulateBenchmarks.* *.Srv6EndBenchmarks.*'}
# Narrowed to five variants at 64 and 1500 B (the encapsulate class alone has ~700 cases): every protocol family,
# a checksumming variant and both SRv6 encodings, about 40 cases in all.
ONLY=${REGRESS_ONLY:-'--only Variant=gre-l3-ipv4,vxlan-ipv4,geneve-ipv6,srv6-encaps-3sid,srv6-csid-3sid --only Size=64,1500'}
# One launch (process) of 2 warm-ups and 5 iterations of 100 ms, run REGRESS_RUNS (3) times over the whole subset: on
# a shared machine a process runs fast or slow for reasons of its own and slow spells last from seconds to minutes,
# so the comparer's sample is the launch, and the launches of one benchmark are minutes apart, not back to back.
JOB=${REGRESS_JOB:-'--launchCount 1 --warmupCount 2 --iterationCount 5 --iterationTime 100'}
CURRENT_RUNS=${REGRESS_RUNS:-3}
# The confirmation re-run measures the suspects' cases RERUN_RUNS (5) more times on each side and judges only the first
# run's suspects: a regression must show in both.
RERUN_JOB=${RERUN_JOB:-$JOB}
RERUN_RUNS=${RERUN_RUNS:-5}
# Allocations only: a short job is enough, the bytes per operation do not depend on how long it runs.
ALLOC_FILTER=${ALLOC_FILTER:-$FILTER}
ALLOC_JOB=${ALLOC_JOB:-'--launchCount 1 --warmupCount 1 --iterationCount 3 --iterationTime 25'}
TIMEOUT=${REGRESS_TIMEOUT:-1800}
# The instruction subset: the same five variants, every operation at 64 and 1500 B (32 cases, a few minutes on 2 cores).
INSTRUCTIONS_VARIANTS=${INSTRUCTIONS_VARIANTS:-gre-l3-ipv4,vxlan-ipv4,geneve-ipv6,srv6-encaps-3sid,srv6-csid-3sid}
INSTRUCTIONS_OPERATIONS=${INSTRUCTIONS_OPERATIONS:-copy,in-place,decap,end,end-csid}
INSTRUCTIONS_SIZES=${INSTRUCTIONS_SIZES:-64,1500}
INSTRUCTIONS_THRESHOLD=${INSTRUCTIONS_THRESHOLD:-1%}

mode=compare runs=6 out=results/regress baseline=results/baseline threshold=10% noise=0.5ns
while [ $# -gt 0 ]; do
  case "$1" in
    --update-baseline) mode=update ;;
    --allocations-only) mode=allocations ;;
    --instructions-only) mode=instructions ;;
    --runs) runs=$2; shift ;;
    --out) out=$2; shift ;;
    --baseline) baseline=$2; shift ;;
    --threshold) threshold=$2; shift ;;
    --noise) noise=$2; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "regress.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

fail() { echo "regress.sh: error: $*" >&2; exit 2; }

# count_instructions DEST: instructions per packet of the subset into DEST/instructions.json (and .md).
count_instructions() {
  bench/instructions.sh --variants "$INSTRUCTIONS_VARIANTS" --operations "$INSTRUCTIONS_OPERATIONS" --sizes "$INSTRUCTIONS_SIZES" --out "$1" \
    || fail "counting instructions into $1 failed"
}

# compare_instructions OUT: the instruction stage against the baseline; its Markdown in OUT/instructions-compare.md, exit code echoed.
compare_instructions() {
  [ -f "$baseline/instructions.json" ] || fail "no instruction baseline in $baseline/instructions.json: run bench/regress.sh --update-baseline (or bench/instructions.sh with the subset) and commit it"
  count_instructions "$1/instructions"
  set +e
  overlay compare --instructions --baseline "$baseline" --current "$1/instructions" --threshold "$INSTRUCTIONS_THRESHOLD" \
    --markdown "$1/instructions-compare.md" --json "$1/instructions-compare.json" > /dev/null
  local rc=$?
  set -e
  [ -f "$1/instructions-compare.md" ] || fail "overlay compare --instructions wrote no table (exit $rc)"
  echo "$rc"
}

# The worse of two exit codes: unusable (2) before a regression (1) before none (0).
worse() { if [ "$1" -eq 2 ] || [ "$2" -eq 2 ]; then echo 2; elif [ "$1" -eq 1 ] || [ "$2" -eq 1 ]; then echo 1; else echo 0; fi; }

if [ "$mode" = instructions ]; then
  # No BenchmarkDotNet here: the driver and the overlay tool only.
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
  dotnet build src/Overlay.Cli -c Release -v q -nologo >&2 || fail "the overlay tool does not build"
  overlay() { dotnet run -c Release --no-build --project src/Overlay.Cli -- "$@"; }
  rm -rf "$out"; mkdir -p "$out"
  start=$(date +%s)
  rc=$(compare_instructions "$out")
  cat "$out/instructions-compare.md"
  echo "Counted and compared in $(($(date +%s) - start)) s." >> "$out/instructions-compare.md"
  cp "$out/instructions-compare.md" "$out/summary.md"
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$out/summary.md" >> "$GITHUB_STEP_SUMMARY"; fi
  exit "$rc"
fi

[ -f "$BENCH/Overlay.Benchmarks.csproj" ] || fail "$BENCH/Overlay.Benchmarks.csproj is missing: the regression job needs the benchmark project"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] && [ "$runs" -ge 4 ] || fail "--runs must be a number of at least 4 (the A/A noise needs two halves of two)"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
echo "regress.sh: building the benchmarks and the overlay tool (Release)" >&2
dotnet build "$BENCH" -c Release -v q -nologo >&2 || fail "the benchmark project does not build"
dotnet build src/Overlay.Cli -c Release -v q -nologo >&2 || fail "the overlay tool does not build"

overlay() { dotnet run -c Release --no-build --project src/Overlay.Cli -- "$@"; }

# run_subset DEST JOB FILTER...: one BenchmarkDotNet run of the filtered benchmarks, full JSON in DEST/results.
run_subset() {
  local dest=$1 job=$2; shift 2
  rm -rf "$dest"; mkdir -p "$dest"
  dest=$(cd "$dest" && pwd)
  # TREE: the checkout whose benchmarks run (default this one). BenchmarkDotNet builds the benchmark project it finds
  # under the working directory, not the one it was started from, so the run must start inside TREE: started here, a
  # run of the baseline's worktree measured this tree's code (the confirmation was then an A/A test).
  local tree
  tree=$(cd "${TREE:-.}" && pwd)
  echo "regress.sh: running $* ($job) from $tree into $dest" >&2
  # shellcheck disable=SC2086 # the job options are words on purpose
  if ! (cd "$tree" && timeout "$TIMEOUT" dotnet run -c Release --no-build --project "$BENCH" -- \
      --filter "$@" $ONLY $job --memory --exporters fulljson --artifacts "$dest") > "$dest/console.log" 2>&1; then
    tail -n 40 "$dest/console.log" >&2
    fail "the benchmark run into $dest failed or ran past ${TIMEOUT}s (log: $dest/console.log)"
  fi
  compgen -G "$dest/results/*-report-full.json" > /dev/null \
    || { tail -n 40 "$dest/console.log" >&2; fail "the run into $dest wrote no *-report-full.json (no benchmark matched '$*'?)"; }
  # BenchmarkDotNet logs where it built the benchmarks ("// start dotnet build ... in DIR"): it must be inside TREE.
  # A fixed-string match (a path may hold characters a regular expression would read), reading all its input (with
  # pipefail, -q could stop early and fail the first grep with SIGPIPE).
  grep '^// start dotnet .* build ' "$dest/console.log" | grep -F " in $tree/" > /dev/null \
    || fail "the run into $dest did not build the benchmarks of $tree (log: $dest/console.log)"
}

summary() {
  cat "$@" > "$out/summary.md"
  if [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then cat "$out/summary.md" >> "$GITHUB_STEP_SUMMARY"; fi
}

read -r -a filters <<< "$FILTER"
load() { cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?"; }

case "$mode" in
  update)
    staging="$(dirname "$baseline")/.$(basename "$baseline").new"
    rm -rf "$staging"
    for i in $(seq 1 "$runs"); do
      run_subset "$staging/run-$i" "$JOB" "${filters[@]}"
      # Keep what the comparer and a reader need: the full JSON and BenchmarkDotNet's own Markdown table.
      find "$staging/run-$i" -type f ! -name '*-report-full.json' ! -name '*-report-github.md' -delete
    done
    {
      echo "# Benchmark baseline"
      echo
      echo "Written by \`bench/regress.sh --update-baseline\` on $(date -u +%Y-%m-%dT%H:%M:%SZ) from commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
      echo "$runs runs of: \`--filter $FILTER $JOB --memory\`; load average before the last run: $(load)."
      echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ //' || echo unknown); $(dotnet --version 2>/dev/null | sed 's/^/SDK /')."
      # What the gate will judge against: the A/A noise of these runs (the comparer computes it the way the gate does).
      overlay compare --baseline "$staging" --current "$staging" --noise-history "$staging" --markdown "$staging/.aa.md" > /dev/null 2>&1 || true
      grep -m1 '^Threshold' "$staging/.aa.md" 2>/dev/null | sed 's/^Threshold[^:]*: /A\/A noise of these runs, the least change the gate judges: /' || echo "A/A noise of these runs: could not be measured"
    } > "$staging/README.md"
    rm -f "$staging/.aa.md"
    # The instruction counts of the same tree (deterministic: one run is the baseline).
    count_instructions "$staging"
    echo "Instructions per packet: \`bench/instructions.sh --variants $INSTRUCTIONS_VARIANTS --operations $INSTRUCTIONS_OPERATIONS --sizes $INSTRUCTIONS_SIZES\` (instructions.json, instructions.md)." >> "$staging/README.md"
    rm -rf "$baseline"
    mv "$staging" "$baseline"
    echo "regress.sh: $baseline rewritten from $runs fresh runs" >&2
    ;;

  allocations)
    [ -d "$baseline" ] || fail "no baseline in $baseline: run bench/regress.sh --update-baseline and commit it"
    mkdir -p "$out"
    read -r -a alloc_filters <<< "$ALLOC_FILTER"
    run_subset "$out/allocations" "$ALLOC_JOB" "${alloc_filters[@]}"
    set +e
    overlay compare --baseline "$baseline" --current "$out/allocations" --allocations-only \
      --markdown "$out/allocations.md" --json "$out/allocations.json" > /dev/null
    rc=$?
    set -e
    summary "$out/allocations.md"
    cat "$out/allocations.md"
    exit "$rc"
    ;;

  compare)
    [ -d "$baseline" ] || fail "no baseline in $baseline: run bench/regress.sh --update-baseline and commit it"
    rm -rf "$out"; mkdir -p "$out"
    # The instruction stage first: minutes, deterministic, and decided without a re-run.
    irc=$(compare_instructions "$out")
    for i in $(seq 1 "$CURRENT_RUNS"); do
      run_subset "$out/current/run-$i" "$JOB" "${filters[@]}"
    done
    set +e
    overlay compare --baseline "$baseline" --current "$out/current" --threshold "$threshold" --noise "$noise" --noise-history "$baseline" \
      --markdown "$out/compare.md" --json "$out/compare.json" --chart "$out/compare-changes.png" \
      --rerun-filters "$out/rerun-filters.txt" --rerun-parameters "$out/rerun-parameters.txt" --suspects "$out/suspects.txt" > /dev/null
    rc=$?
    set -e
    if [ "$rc" -ne 1 ]; then
      summary "$out/compare.md" "$out/instructions-compare.md"
      cat "$out/summary.md"
      [ "$rc" -eq 0 ] && echo "regress.sh: no regression in time (load average $(load))" >&2
      exit "$(worse "$rc" "$irc")"
    fi
    mapfile -t suspects < "$out/rerun-filters.txt"
    # Only the suspects' parameter values, not every case of their methods.
    ONLY=""
    while read -r values; do [ -n "$values" ] && ONLY+=" --only $values"; done < "$out/rerun-parameters.txt"
    # The confirmation measures the baseline's own code again, interleaved with the current code in the same minutes
    # (A, B, A, B, … RERUN_RUNS pairs), so a slow spell of the machine slows both sides: the commit that wrote the baseline is built
    # in a temporary worktree. Without that commit (a shallow clone), the re-run is compared with the history instead.
    base_commit=$(grep -o 'from commit [0-9a-f]\{7,\}' "$baseline/README.md" 2>/dev/null | awk '{print $3}' | head -n 1 || true)
    # Outside the checkout: BenchmarkDotNet refuses two projects of one name under the repository it runs from.
    base_tree="$(mktemp -d "${TMPDIR:-/tmp}/overlay-baseline.XXXXXX")/tree"
    reference="$baseline"
    if [ -n "$base_commit" ] && git cat-file -e "$base_commit^{commit}" 2>/dev/null \
        && git worktree add --detach -f "$base_tree" "$base_commit" > /dev/null 2>&1; then
      trap 'git worktree remove --force "$base_tree" > /dev/null 2>&1 || true; rm -rf "$(dirname "$base_tree")"' EXIT
      echo "regress.sh: building the baseline's commit $base_commit in $base_tree for an interleaved re-run" >&2
      dotnet build "$base_tree/$BENCH" -c Release -v q -nologo >&2 || fail "the baseline's commit $base_commit does not build"
      reference="$out/rerun-base"
    else
      rm -rf "$(dirname "$base_tree")"
      echo "regress.sh: the baseline's commit (${base_commit:-not recorded}) is not in this clone: the re-run is compared with the history" >&2
    fi
    echo "regress.sh: suspected regression; re-running ${suspects[*]} ($ONLY) before failing" >&2
    for i in $(seq 1 "$RERUN_RUNS"); do
      if [ "$reference" != "$baseline" ]; then
        TREE="$base_tree" run_subset "$out/rerun-base/run-$i" "$RERUN_JOB" "${suspects[@]}"
      fi
      run_subset "$out/rerun/run-$i" "$RERUN_JOB" "${suspects[@]}"
    done
    set +e
    overlay compare --baseline "$reference" --current "$out/rerun" --threshold "$threshold" --noise "$noise" --noise-history "$baseline" \
      --judge "$out/suspects.txt" --markdown "$out/rerun-compare.md" --json "$out/rerun-compare.json" --chart "$out/rerun-compare-changes.png" > /dev/null
    rc=$?
    set -e
    sed -i '1s/.*/## Re-run of the suspected regressions (this decides)/' "$out/rerun-compare.md"
    summary "$out/compare.md" "$out/rerun-compare.md" "$out/instructions-compare.md"
    cat "$out/summary.md"
    case "$rc" in
      0) echo "regress.sh: the re-run did not confirm the regression in time (load average $(load))" >&2 ;;
      1) echo "regress.sh: regression in time confirmed by the re-run" >&2 ;;
    esac
    exit "$(worse "$rc" "$irc")"
    ;;
esac
