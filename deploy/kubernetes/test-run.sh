#!/usr/bin/env bash
# Tests run.sh's own logic against a stand-in kubectl, with no cluster: the Jobs of an earlier run are deleted before the
# apply; the merge Job is released only when the analysis Job is Complete (after it was running); when the analysis Job
# is Failed, run.sh exits 1 naming the failed shards and never releases the merge. Exit 0 when every case passes.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/overlay-run-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
fail() { echo "test-run: $1" >&2; failures=$((failures + 1)); }
mkdir -p "$work/bin"
# The stand-in answers the condition query from $STATES (one line per poll: the analysis Job's true conditions) and
# records every call; the merge Job is Complete as soon as asked.
cat >"$work/bin/kubectl" <<'STUB'
#!/usr/bin/env bash
echo "$*" >>"$KUBECTL_CALLS"
case "$*" in
  *"get job overlay-analyze -o jsonpath={range .status.conditions"*)
    n=$(grep -c "get job overlay-analyze -o jsonpath={range" "$KUBECTL_CALLS")
    sed -n "${n}p" "$STATES" ;;
  *"get job overlay-merge -o jsonpath={range .status.conditions"*) echo "Complete " ;;
  *"jsonpath={.status.failedIndexes}"*) echo "1,3" ;;
  *"jsonpath={.status.conditions[?(@.type==\"Failed\")].message}"*) echo "Job has exceeded the specified maximal number of failed indexes" ;;
esac
STUB
chmod +x "$work/bin/kubectl"

run() {
  local name=$1
  printf '%s\n' "${@:2}" >"$work/$name.states"
  status=0
  PATH=$work/bin:$PATH KUBECTL_CALLS=$work/$name.calls STATES=$work/$name.states OVERLAY_POLL_SECONDS=0 \
    "$here/run.sh" --namespace batch >"$work/$name.out" 2>&1 || status=$?
  calls=$(cat "$work/$name.calls")
}

run complete "" "SuccessCriteriaMet " "SuccessCriteriaMet Complete "
[ "$status" -eq 0 ] || fail "complete: exit $status: $(cat "$work/complete.out")"
line() { grep -nF -- "$1" <<<"$calls" | head -1 | cut -d: -f1; }
deleted=$(line "delete job --ignore-not-found") applied=$(line "apply -k $here") released=$(line "patch job overlay-merge")
if [ -z "$deleted" ] || [ -z "$applied" ] || [ -z "$released" ] || [ "$deleted" -gt "$applied" ] || [ "$applied" -gt "$released" ]; then
  fail "complete: not delete, apply, release in that order: $calls"
fi
grep -qF -- "--namespace batch patch job overlay-merge --type=merge -p {\"spec\":{\"suspend\":false}}" <<<"$calls" || fail "complete: the merge was not released in the namespace"
[ "$(grep -c "get job overlay-analyze -o jsonpath={range" <<<"$calls")" -eq 3 ] || fail "complete: the merge was released before the analysis was Complete"

run failed "" "FailureTarget Failed "
[ "$status" -eq 1 ] || fail "failed: exit $status, expected 1"
grep -q "patch job overlay-merge" <<<"$calls" && fail "failed: the merge was released after the analysis failed"
grep -qF "failed shard indexes: 1,3" "$work/failed.out" || fail "failed: the failed shards are not named: $(cat "$work/failed.out")"

if [ "$failures" -gt 0 ]; then echo "test-run: $failures failed" >&2; exit 1; fi
echo "test-run: complete and failed cases pass"
