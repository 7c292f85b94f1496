#!/usr/bin/env bash
# Refreshes the public test data in tests/data from upstream: downloads every file listed in tests/data/sources.tsv
# (the test captures and the licence texts that travel with them) from raw.githubusercontent.com at its pinned commit
# and checks its SHA-256. The files are committed, so the tests never need this script; it is how they are re-made
# rather than hand-copied, and how a checkout proves that they are what the list says (--check).
#
# Usage:  scripts/fetch-shared-captures.sh [--check | --from DIR] [DEST]
#   DEST        where to put them (default: tests/data in this repository); each file lands at DEST/PATH, PATH being
#               the list's first column (captures/traffic/NAME, captures/encapsulated/NAME, licences/NAME).
#   --check     download nothing: check that every listed file is in DEST with its SHA-256 and that DEST/captures holds
#               no capture the list does not name (the tests would read it).
#   --from DIR  copy the files from DIR (a folder laid out like DEST) instead of downloading them; the hashes are
#               checked all the same.
#   -h, --help  print this text.
# Environment:
#   SHARED_CAPTURES_BASE_URL  where OWNER/REPO/COMMIT/PATH is fetched from (default https://raw.githubusercontent.com;
#                             any URL curl reads, file:// included, for a mirror laid out the same way)
#
# A file already in DEST with the right hash is left alone; one with another hash is fetched again and replaced.
# Every file is written to a temporary name in its folder and renamed once its hash is right. tests/data/MANIFEST.md
# describes the files; update it with the list. Exit status: 0 when every file is in place with its hash, 1 when any
# download, copy or hash check failed (each one named on stderr), 2 for a usage error or a malformed list.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
LIST="$REPO/tests/data/sources.tsv"
BASE_URL="${SHARED_CAPTURES_BASE_URL:-https://raw.githubusercontent.com}"
BASE_URL="${BASE_URL%/}"

log() { printf 'fetch-shared-captures: %s\n' "$*" >&2; }
usage_error() { log "$*"; log "see --help"; exit 2; }

FROM="" DEST="" CHECK=0
while (($#)); do
  case $1 in
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    --check) CHECK=1; shift ;;
    --from) (($# >= 2)) || usage_error "--from needs a folder"; FROM=$2; shift 2 ;;
    --from=*) FROM=${1#--from=}; shift ;;
    -*) usage_error "unknown option $1" ;;
    *) [[ -z $DEST ]] || usage_error "more than one DEST ($DEST, $1)"; DEST=$1; shift ;;
  esac
done
DEST="${DEST:-$REPO/tests/data}"
((CHECK == 0 || ${#FROM} == 0)) || usage_error "--check and --from exclude each other"
[[ -z $FROM || -d $FROM ]] || usage_error "--from $FROM: no such folder"
[[ -r $LIST ]] || usage_error "$LIST: cannot read the list of captures"

if command -v sha256sum >/dev/null; then
  sha256() { sha256sum "$1" | cut -d' ' -f1; }
elif command -v shasum >/dev/null; then
  sha256() { shasum -a 256 "$1" | cut -d' ' -f1; }
else
  usage_error "neither sha256sum nor shasum is installed"
fi
[[ -n $FROM || $CHECK == 1 ]] || command -v curl >/dev/null || usage_error "curl is not installed (or use --from DIR)"

# --- read and check the whole list first, so a malformed line fails before anything is written -----------------
rels=() repos=() commits=() paths=() hashes=() licences=()
line_no=0
while IFS= read -r line || [[ -n $line ]]; do
  line_no=$((line_no + 1))
  [[ -z $line || $line == \#* ]] && continue
  IFS=$'\t' read -r rel repo commit path hash licence extra <<<"$line"
  where="$LIST:$line_no"
  [[ -z ${extra:-} && -n ${licence:-} ]] || usage_error "$where: expected 6 tab-separated columns"
  [[ $rel =~ ^(captures/traffic|captures/encapsulated|licences)/[A-Za-z0-9_-][A-Za-z0-9._-]*$ ]] ||
    usage_error "$where: '$rel' is not captures/traffic/NAME, captures/encapsulated/NAME or licences/NAME"
  [[ $repo =~ ^[A-Za-z0-9._-]+/[A-Za-z0-9._-]+$ ]] || usage_error "$where: '$repo' is not OWNER/REPO"
  [[ $commit =~ ^[0-9a-f]{40}$ ]] || usage_error "$where: '$commit' is not a full 40-hex commit"
  [[ $path != /* && $path != *..* && -n $path ]] || usage_error "$where: '$path' is not a relative path in the repository"
  [[ $hash =~ ^[0-9a-f]{64}$ ]] || usage_error "$where: '$hash' is not a SHA-256 in hex"
  rels+=("$rel") repos+=("$repo") commits+=("$commit") paths+=("$path") hashes+=("$hash") licences+=("$licence")
done <"$LIST"
((${#rels[@]})) || usage_error "$LIST lists no files"

# --- check only ------------------------------------------------------------------------------------------------------
if ((CHECK)); then
  [[ -d $DEST ]] || { log "$DEST: no such folder"; exit 1; }
  bad=()
  for i in "${!rels[@]}"; do
    target="$DEST/${rels[$i]}"
    if [[ ! -f $target ]]; then
      bad+=("${rels[$i]}: missing")
    elif [[ $(sha256 "$target") != "${hashes[$i]}" ]]; then
      bad+=("${rels[$i]}: SHA-256 $(sha256 "$target"), the list says ${hashes[$i]}")
    fi
  done
  if [[ -d $DEST/captures ]]; then
    while IFS= read -r -d '' f; do
      rel=${f#"$DEST/"}
      [[ " ${rels[*]} " == *" $rel "* ]] || bad+=("$rel: a capture $LIST does not name")
    done < <(find "$DEST/captures" -type f -name '*.pcap*' -print0)
  fi
  if ((${#bad[@]})); then
    for b in "${bad[@]}"; do log "$b"; done
    exit 1
  fi
  log "$DEST: all ${#rels[@]} listed files in place with their SHA-256, no unlisted capture"
  exit 0
fi

for rel in "${rels[@]}"; do mkdir -p "$DEST/$(dirname "$rel")"; done
DEST="$(cd "$DEST" && pwd)"
TMP=""
trap '[[ -z $TMP ]] || rm -f "$TMP"' EXIT
trap 'exit 130' INT TERM

# --- fetch ---------------------------------------------------------------------------------------------------------
failed=() fetched=0 kept=0 untried=0
for i in "${!rels[@]}"; do
  rel=${rels[$i]} want=${hashes[$i]} target="$DEST/${rels[$i]}"
  if [[ -f $target ]]; then
    have=$(sha256 "$target")
    if [[ $have == "$want" ]]; then
      kept=$((kept + 1))
      continue
    fi
    log "$rel: present with SHA-256 $have, not $want: fetching it again"
  fi
  # a temporary name without ".pcap" in it, so a run cut short leaves nothing the tests would take for a capture
  TMP="$(mktemp "$(dirname "$target")/.fetch.XXXXXX")"
  if [[ -n $FROM ]]; then
    source="$FROM/$rel"
    if ! cp -- "$source" "$TMP" 2>/dev/null; then
      log "$rel: cannot copy $source"
      failed+=("$rel (copy failed)"); rm -f "$TMP"; TMP=""; continue
    fi
  else
    source="$BASE_URL/${repos[$i]}/${commits[$i]}/${paths[$i]}"
    status=0
    err=$(curl -fsSL --retry 3 --retry-delay 2 --connect-timeout 20 --max-time 300 -o "$TMP" -- "$source" 2>&1) || status=$?
    if ((status)); then
      log "$rel: download failed from $source: ${err##*$'\n'}"
      failed+=("$rel (download failed)"); rm -f "$TMP"; TMP=""
      # 6: host not resolved, 7: no connection: the files after this one would fail the same way
      if ((status == 6 || status == 7)); then
        untried=$((${#rels[@]} - i - 1))
        log "cannot reach $BASE_URL: the remaining $untried files were not tried"
        break
      fi
      continue
    fi
  fi
  have=$(sha256 "$TMP")
  if [[ $have != "$want" ]]; then
    log "$rel: SHA-256 mismatch for $source: got $have, the list says $want"
    failed+=("$rel (SHA-256 mismatch)"); rm -f "$TMP"; TMP=""; continue
  fi
  chmod 0644 "$TMP"
  mv -f -- "$TMP" "$target"
  TMP=""
  fetched=$((fetched + 1))
done

if ((${#failed[@]})); then
  log "${#failed[@]} of ${#rels[@]} files failed$( ((untried)) && echo " and $untried were not tried"):"
  for f in "${failed[@]}"; do log "  $f"; done
  exit 1
fi
log "$DEST: ${#rels[@]} files in place ($fetched fetched, $kept already there with the right SHA-256)"
