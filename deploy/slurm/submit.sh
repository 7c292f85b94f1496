#!/usr/bin/env bash
# Submits the sharded analysis to Slurm: an array of N one-core tasks (analyze.sbatch), then the merge (merge.sbatch),
# which runs only if every task succeeded (afterok) and is cancelled otherwise (--kill-on-invalid-dep).
#
#   deploy/slurm/submit.sh -n N RESULTS-DIR CAPTURE... [-- ANALYZE-OPTION...]
#
# Extra sbatch options (partition, account) go in SBATCH_* environment variables, e.g. SBATCH_PARTITION=batch.
# Prints the two job ids; results in RESULTS-DIR: shard-i.json, merged/analysis.json, report/REPORT.md.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ "${1:-}" != -n ] || ! [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || [ $# -lt 4 ]; then
  echo "usage: submit.sh -n N RESULTS-DIR CAPTURE... [-- ANALYZE-OPTION...]" >&2; exit 2
fi
shards=$2 results=$3
shift 3
mkdir -p "$results"
array=$(sbatch --parsable --array="0-$((shards - 1))" "$here/analyze.sbatch" "$results" "$@")
array=${array%%;*}
merge=$(sbatch --parsable --dependency="afterok:$array" --kill-on-invalid-dep=yes "$here/merge.sbatch" "$results" "$shards")
echo "analysis: job $array ($shards tasks); merge: job $merge (runs when every task succeeded)"
