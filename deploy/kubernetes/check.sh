#!/usr/bin/env bash
# Validates the Kubernetes recipe against Kubernetes v1.32.2's strict JSON schemas (vendored in schema/), with no cluster
# and no network: every resource file that kustomization.yaml names, and, where kubectl or kustomize is on PATH, the
# rendered output that `kubectl apply -k` would send (the parameters substituted, $(NAME) references checked).
#
#   deploy/kubernetes/check.sh [DIR]                the manifests in DIR (default: this folder)
#   deploy/kubernetes/check.sh --self-test [DIR]    the same, then proves the check can fail: broken copies of DIR in a
#                                                   temporary folder (an unknown field, a wrong type, a missing required
#                                                   field, a kind with no schema, an undefined variable) must each be refused
#
# Needs python3 with jsonschema and yaml (Debian: python3-jsonschema python3-yaml). Exit 0 valid, 1 invalid, 2 usage.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
self_test=0
if [ "${1:-}" = --self-test ]; then self_test=1; shift; fi
case "${1:-}" in -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;; -*) echo "check.sh: unknown option $1 (accepted: --self-test, --help)" >&2; exit 2 ;; esac
dir=${1:-$here}
[ -f "$dir/kustomization.yaml" ] || { echo "check.sh: $dir/kustomization.yaml: no such file" >&2; exit 2; }

python=
for candidate in /usr/bin/python3 python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import jsonschema, yaml' 2>/dev/null; then python=$candidate; break; fi
done
[ -n "$python" ] || { echo "check.sh: needs python3 with jsonschema and yaml: apt-get install python3-jsonschema python3-yaml" >&2; exit 2; }

renderer=()
if command -v kustomize >/dev/null 2>&1; then renderer=(kustomize build); elif command -v kubectl >/dev/null 2>&1; then renderer=(kubectl kustomize); fi

# check DIR: 0 when every resource file and the rendered output are valid.
check() {
  local folder=$1 files=()
  mapfile -t files < <("$python" -c 'import sys, yaml; [print(r) for r in (yaml.safe_load(open(sys.argv[1])) or {}).get("resources", [])]' "$folder/kustomization.yaml")
  [ ${#files[@]} -gt 0 ] || { echo "$folder/kustomization.yaml names no resources" >&2; return 1; }
  (cd "$folder" && "$python" "$here/check.py" --schemas "$here/schema/v1.32.2-standalone-strict" "${files[@]}") || return 1
  if [ ${#renderer[@]} -gt 0 ]; then
    local rendered
    rendered=$("${renderer[@]}" "$folder") || { echo "${renderer[*]} $folder failed" >&2; return 1; }
    printf '%s\n' "$rendered" | "$python" "$here/check.py" --schemas "$here/schema/v1.32.2-standalone-strict" - || return 1
  fi
}

if [ ${#renderer[@]} -eq 0 ]; then
  echo "check.sh: no kubectl or kustomize on PATH: the resource files are checked, the rendered output is not" >&2
fi
check "$dir"
echo "check.sh: $dir is valid against Kubernetes v1.32.2 (strict)${renderer:+, rendered with ${renderer[*]}}"
[ "$self_test" -eq 1 ] || exit 0

scratch=$(mktemp -d "${TMPDIR:-/tmp}/overlay-k8s-check.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT TERM
failures=0
# broken NAME FILE SED-EXPRESSION EXPECTED: a copy of DIR with FILE edited must be refused with EXPECTED in the reason.
broken() {
  local name=$1 file=$2 edit=$3 expected=$4 copy=$scratch/$1 log
  cp -R "$dir" "$copy"
  sed -i -e "$edit" "$copy/$file"
  if cmp -s "$dir/$file" "$copy/$file"; then echo "self-test $name: the edit changed nothing in $file (the test is broken)" >&2; failures=$((failures + 1)); return; fi
  if log=$(check "$copy" 2>&1); then
    echo "self-test $name: the broken copy passed" >&2; failures=$((failures + 1))
  elif ! grep -qF -- "$expected" <<<"$log"; then
    echo "self-test $name: refused, but not for '$expected':" >&2; printf '%s\n' "$log" >&2; failures=$((failures + 1))
  else
    echo "self-test $name: refused ($(grep -F -m1 -- "$expected" <<<"$log"))"
  fi
}
broken unknown-field analyze-job.yaml 's/readOnlyRootFilesystem: true/readOnlyRootFileSystem: true/' "'readOnlyRootFileSystem' was unexpected"
broken wrong-type analyze-job.yaml 's/backoffLimitPerIndex: 2/backoffLimitPerIndex: two/' "'two' is not of type 'integer', 'null'"
broken missing-required analyze-job.yaml '/status: "True"/d' "'status' is a required property"
broken no-schema pvc.yaml 's/^kind: PersistentVolumeClaim$/kind: PersistentVolumeClaimTemplate/' "no schema persistentvolumeclaimtemplate-v1.json"
broken misplaced-field merge-job.yaml 's/^  backoffLimit: 1$/  restartPolicy: Never/' "'restartPolicy' was unexpected"
broken duplicate-key merge-job.yaml 's/^  suspend: true$/  template: {}\n  suspend: true/' "key 'template' given twice"
# The $(NAME) below are Kubernetes references, literal to the shell.
# shellcheck disable=SC2016
if [ ${#renderer[@]} -gt 0 ]; then
  broken undefined-variable analyze-job.yaml 's/\$(OVERLAY_MTU)/$(OVERLAY_MTUS)/' '$(OVERLAY_MTUS) is not a variable of the container'
  broken not-indexed analyze-job.yaml 's/completionMode: Indexed/completionMode: NonIndexed/' '$(JOB_COMPLETION_INDEX) is not a variable of the container'
fi
[ "$failures" -eq 0 ] || { echo "check.sh --self-test: $failures of the broken copies were not refused as they must be" >&2; exit 1; }
echo "check.sh --self-test: every broken copy was refused"
