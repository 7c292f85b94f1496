#!/usr/bin/env bash
# Tests the Slurm scripts' own logic without Slurm: submit.sh against a stand-in sbatch (the array's size, the afterok
# dependency on it), analyze.sbatch as array task 1 of 3 (the shard it analyses), and merge.sbatch (the shards in order,
# refused with one missing), with a stand-in for `overlay`. Exit 0 when every case passes, 1 otherwise.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/overlay-slurm-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "test-slurm: $1" >&2; failures=$((failures + 1)); }
mkdir -p "$work/bin" "$work/results"
# The stand-ins' $ are theirs, not this shell's.
# shellcheck disable=SC2016
printf '#!/usr/bin/env bash\necho "$*" >>"%s/sbatch.calls"\necho $((4000 + $(wc -l <"%s/sbatch.calls")))\n' "$work" "$work" >"$work/bin/sbatch"
printf '#!/usr/bin/env bash\necho "$*" >>"%s/overlay.calls"\n' "$work" >"$work/stub"
chmod +x "$work/bin/sbatch" "$work/stub"

PATH=$work/bin:$PATH "$here/submit.sh" -n 3 "$work/results" big.pcap -- --no-throughput >"$work/submit.out"
calls=$(cat "$work/sbatch.calls")
grep -qxF -- "--parsable --array=0-2 $here/analyze.sbatch $work/results big.pcap -- --no-throughput" <<<"$calls" || fail "submit: array not submitted as 0-2: $calls"
grep -qxF -- "--parsable --dependency=afterok:4001 --kill-on-invalid-dep=yes $here/merge.sbatch $work/results 3" <<<"$calls" || fail "submit: merge not afterok on the array: $calls"

SLURM_ARRAY_TASK_ID=11 SLURM_ARRAY_TASK_MIN=10 SLURM_ARRAY_TASK_COUNT=3 OVERLAY=$work/stub \
  "$here/analyze.sbatch" "$work/results" big.pcap -- --no-throughput
grep -qxF -- "analyze --in big.pcap --shard 1/3 --json $work/results/shard-1.json --quiet --no-throughput" "$work/overlay.calls" ||
  fail "analyze: task 11 of an array from 10 is not shard 1/3: $(cat "$work/overlay.calls")"

touch "$work/results/shard-0.json" "$work/results/shard-2.json"
status=0; OVERLAY=$work/stub "$here/merge.sbatch" "$work/results" 3 2>"$work/merge.err" || status=$?
{ [ "$status" -eq 1 ] && grep -qF "shard-1.json is missing" "$work/merge.err"; } || fail "merge: a missing shard gave exit $status: $(cat "$work/merge.err")"
touch "$work/results/shard-1.json" "$work/results/shard-3.json"
: >"$work/overlay.calls"
OVERLAY=$work/stub "$here/merge.sbatch" "$work/results" 3
r=$work/results
grep -qxF -- "merge --in $r/shard-0.json $r/shard-1.json $r/shard-2.json --out $r/merged/analysis.json" "$work/overlay.calls" ||
  fail "merge: not shards 0, 1, 2 in order (and not the stale shard-3): $(cat "$work/overlay.calls")"
grep -qxF -- "report --results $r/merged --out $r/report" "$work/overlay.calls" || fail "merge: no report over the merged folder"

if [ "$failures" -gt 0 ]; then echo "test-slurm: $failures failed" >&2; exit 1; fi
echo "test-slurm: submit, analyze task and merge cases pass"
