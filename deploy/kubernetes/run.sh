#!/usr/bin/env bash
# Runs the recipe on the cluster that kubectl points at: creates the volume claim, the parameters and both Jobs with
# `kubectl apply -k`, waits for the analysis Job, releases the merge Job only when every shard succeeded, and waits for it.
#
#   deploy/kubernetes/run.sh [--namespace NS] [--timeout SECONDS]
#
# The parameters (N, the capture, the run's name, the image) are in kustomization.yaml. The capture must already be on
# the volume (deploy/README.md). A Job's pod template cannot change, so the Jobs of an earlier run are deleted first;
# its results stay on the volume under results/ITS-RUN/. Ctrl-C stops the waiting, not the Jobs:
# `kubectl delete -k deploy/kubernetes` stops those. Exit 0 when the merge completed; 1 when a shard or the merge failed,
# or the timeout (default 86400 s) passed; 2 on a wrong command line. It looks at the Jobs every OVERLAY_POLL_SECONDS (15).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
namespace=()
timeout=86400
while [ $# -gt 0 ]; do
  case $1 in
    --namespace|-n) [ $# -ge 2 ] || { echo "run.sh: $1 needs a namespace" >&2; exit 2; }; namespace=(--namespace "$2"); shift 2 ;;
    --timeout) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --timeout ${2:-}: expected a number of seconds" >&2; exit 2; }; timeout=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (accepted: --namespace NS, --timeout SECONDS, --help)" >&2; exit 2 ;;
  esac
done
k() { kubectl "${namespace[@]}" "$@"; }
deadline=$((SECONDS + timeout))

# wait_for JOB: returns 0 when JOB's Complete condition is true, 1 when its Failed condition is (or the time ran out).
wait_for() {
  local job=$1 conditions
  while :; do
    conditions=$(k get job "$job" -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type} {end}')
    case " $conditions " in
      *" Complete "*) return 0 ;;
      *" Failed "*)
        echo "run.sh: job/$job failed: $(k get job "$job" -o jsonpath='{.status.conditions[?(@.type=="Failed")].message}')" >&2
        local failed; failed=$(k get job "$job" -o jsonpath='{.status.failedIndexes}')
        [ -z "$failed" ] || echo "run.sh: failed shard indexes: $failed (kubectl logs -l batch.kubernetes.io/job-name=$job,batch.kubernetes.io/job-completion-index=INDEX)" >&2
        return 1 ;;
    esac
    if [ "$SECONDS" -ge "$deadline" ]; then echo "run.sh: job/$job not finished after $timeout s; it goes on in the cluster" >&2; return 1; fi
    echo "run.sh: job/$job: $(k get job "$job" -o jsonpath='{.status.succeeded}' || true) succeeded, $(k get job "$job" -o jsonpath='{.status.active}' || true) running"
    sleep "${OVERLAY_POLL_SECONDS:-15}"
  done
}

k delete job --ignore-not-found --wait=true overlay-analyze overlay-merge
k apply -k "$here"
wait_for overlay-analyze || exit 1
k patch job overlay-merge --type=merge -p '{"spec":{"suspend":false}}'
wait_for overlay-merge || { k logs job/overlay-merge >&2 || true; exit 1; }
k logs job/overlay-merge
echo "run.sh: done; on the volume: results/RUN/merged/analysis.json and results/RUN/report/REPORT.md (RUN: OVERLAY_RUN in kustomization.yaml)"
