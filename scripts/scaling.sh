#!/usr/bin/env bash
# Multi-core scaling run: copy encapsulation with each capture sharded by flow, as RSS does, over 1, 2, 4 …
# N cores, recorded with the machine it ran on in results/scaling.json (+ .md), then the report is rendered again.
#
#   scripts/scaling.sh                 # N = this machine's logical cores
#   scripts/scaling.sh 16              # N = 16
#   OVERLAY=path/to/overlay scripts/scaling.sh 16
#                                      # a published tool, e.g. on a machine without the SDK:
#                                      #   dotnet publish src/Overlay.Cli -c Release -r linux-x64 --self-contained -o publish
#                                      #   OVERLAY=publish/overlay scripts/scaling.sh 16
#                                      # (such a machine also needs libpcap: carry libpcap.so.0.8 and point
#                                      # LD_LIBRARY_PATH at it; without git there, set OVERLAY_COMMIT=<commit>)
#   SCALING_CAPTURES="… many-flows.pcap" scripts/scaling.sh 16
#                                      # the bundled captures hold too few flows to feed 16 shards; a synthetic
#                                      # one with 12,500 flows: scripts/synth-capture.py 200000 many-flows.pcap
#                                      # (results/scaling.md says how the committed 16-core run was made)
set -euo pipefail
cd "$(dirname "$0")/.."
threads=${1:-$(nproc)}
variants=${SCALING_VARIANTS:-vxlan-ipv4,geneve-ipv6,srv6-encaps-3sid,srv6-csid-3sid}
captures=${SCALING_CAPTURES:-"captures/bulk-tcp.pcap captures/mixed.pcap captures/http.pcap"}
if [ -n "${OVERLAY:-}" ]; then
  overlay() { "$OVERLAY" "$@"; }
else
  dotnet build src/Overlay.Cli -c Release -v q -nologo >&2
  overlay() { dotnet run -c Release --no-build --project src/Overlay.Cli -- "$@"; }
fi
# shellcheck disable=SC2086 # the capture list is words on purpose
overlay analyze --in $captures --variants "$variants" --scaling "$threads" --scaling-only \
  --json results/scaling.json --markdown results/scaling.md --quiet
overlay report --results results/ --out results/ >&2
echo "scaling over 1..$threads threads on $(nproc) logical cores: results/scaling.json, results/scaling.md" >&2
