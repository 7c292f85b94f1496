#!/usr/bin/env bash
# Proves that a change to the analysis leaves its figures alone: analyses every bundled capture (captures/*.pcap,
# all variants; bulk-tcp.pcap also with --segment) with the tool built from REF and with the working tree, and
# compares the two result documents field by field, leaving out only what a run cannot repeat: the environment
# block, the settings, and the timed figures (encapCopy, encapInPlace, decap). The working tree's documents are also
# taken with the timed passes on (--throughput --passes 1), so the timed path is shown to count the same.
#
#   scripts/same-analysis.sh [REF]        default REF: main
#
# Exits 1 and names the first differing field of each capture that differs.
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${1:-main}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
work=$(mktemp -d "${TMPDIR:-/tmp}/overlay-same.XXXXXX")
cleanup() { git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
git worktree add --detach "$work/base" "$ref" >/dev/null 2>&1
echo "building $ref and the working tree"
dotnet publish "$work/base/src/Overlay.Cli/Overlay.Cli.csproj" -c Release -o "$work/bin-base" --nologo -v quiet >/dev/null
dotnet publish src/Overlay.Cli/Overlay.Cli.csproj -c Release -o "$work/bin-new" --nologo -v quiet >/dev/null

runs=()
for capture in captures/*.pcap; do
  runs+=("$(basename "$capture" .pcap)|$capture|")
done
runs+=("bulk-tcp-segment|captures/bulk-tcp.pcap|--segment")
status=0
for run in "${runs[@]}"; do
  IFS='|' read -r name capture extra <<<"$run"
  # shellcheck disable=SC2086 # extra holds zero or more options
  dotnet "$work/bin-base/overlay.dll" analyze --in "$capture" $extra --no-throughput --json "$work/$name.base.json" -q >/dev/null
  # shellcheck disable=SC2086
  dotnet "$work/bin-new/overlay.dll" analyze --in "$capture" $extra --json "$work/$name.new.json" -q >/dev/null
  # shellcheck disable=SC2086
  dotnet "$work/bin-new/overlay.dll" analyze --in "$capture" $extra --throughput --passes 1 --json "$work/$name.timed.json" -q >/dev/null
  python3 - "$name" "$work/$name.base.json" "$work/$name.new.json" "$work/$name.timed.json" <<'PY' || status=1
import json, sys
UNREPEATABLE_DOCUMENT = {"environment", "settings"}
TIMED = {"encapCopy", "encapInPlace", "decap"}

def comparable(path):
    doc = json.load(open(path))
    for key in UNREPEATABLE_DOCUMENT:
        doc.pop(key, None)
    for result in doc.get("results", []):
        for key in TIMED:
            result.pop(key, None)
    return doc

def first_difference(a, b, where="$"):
    if type(a) is not type(b):
        return f"{where}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{where}.{key}: present in only one"
            found = first_difference(a[key], b[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items != {len(b)}"
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{where}: {a!r} != {b!r}"

name, base, new, timed = sys.argv[1:]
reference = comparable(base)
failed = False
for label, path in (("default", new), ("timed", timed)):
    found = first_difference(reference, comparable(path))
    if found:
        print(f"{name} ({label}): DIFFERS at {found}")
        failed = True
if not failed:
    print(f"{name}: identical ({len(reference['results'])} variant results, default and timed runs)")
sys.exit(1 if failed else 0)
PY
done
exit "$status"
