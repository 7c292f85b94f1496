#!/usr/bin/env bash
# Every check of the deployment recipes, as CI runs them (no cluster, no Slurm, no network): the shell scripts parse
# (bash -n) and pass shellcheck where it is installed; the Kubernetes manifests validate against the vendored strict
# schemas and the check refuses broken copies (kubernetes/check.sh --self-test); run.sh, shard.sh and the Slurm scripts
# do what they say with stand-ins for kubectl, the tool and sbatch.
#
#   deploy/test.sh        needs python3-jsonschema and python3-yaml; shellcheck optional
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mapfile -t scripts < <(find "$here" -type f \( -name '*.sh' -o -name '*.sbatch' \) | sort)
for script in "${scripts[@]}"; do bash -n "$script"; done
if command -v shellcheck >/dev/null 2>&1; then
  shellcheck "${scripts[@]}"
  echo "deploy: ${#scripts[@]} scripts parse and pass shellcheck"
else
  echo "deploy: ${#scripts[@]} scripts parse; shellcheck is not installed (apt-get install shellcheck), not run"
fi
"$here/kubernetes/check.sh" --self-test
"$here/kubernetes/test-run.sh"
"$here/local/test-shard.sh"
"$here/slurm/test-slurm.sh"
