#!/usr/bin/env bash
# Recovery data: what `ferry export --recovery 10%` spends on its PAR 2.0 files, against `par2 create -r10` (par2cmdline)
# on the same bundle files, and the repair of one deleted volume by `ferry repair` and by `par2 repair`. Each step
# runs as its own process under /usr/bin/time (wall time, peak resident memory); ferry with a small heap
# (FERRY_JAVA_OPTS, default -Xmx256m). The export's recovery cost is the difference between an export with
# --recovery 10% and the same export without (same file cache, so neither downloads). Results go to stdout as a
# Markdown table; docs/benchmarks.md records them with the machine they ran on.
#
#   bench/recovery.sh [FILE_SIZE] [VOLUME_SIZE]      e.g. bench/recovery.sh 256MiB 32MiB
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size="${1:-256MiB}"
volume="${2:-32MiB}"
command -v par2 >/dev/null || { echo "par2 is not installed (apt-get install par2)" >&2; exit 2; }
work="$(mktemp -d "${TMPDIR:-/tmp}/ferry-bench-recovery.XXXXXX")"
trap 'kill "${upstream_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
export FERRY_JAVA_OPTS="${FERRY_JAVA_OPTS:--Xmx256m}"
ferry="$here/ferry"
"$ferry" --version >/dev/null   # builds if needed, outside the measurements

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "generating a $size feature update file and starting the sample upstream on port $port ..." >&2
"$ferry" sample-upstream --port "$port" --dir "$work/upstream" --feature-update-size "$size" >"$work/upstream.log" 2>&1 &
upstream_pid=$!
for _ in $(seq 1 600); do grep -q "Ctrl-C" "$work/upstream.log" 2>/dev/null && break; sleep 1; done
grep -q "Ctrl-C" "$work/upstream.log" || { cat "$work/upstream.log" >&2; exit 1; }
"$ferry" keys generate --out "$work/keys" --user-id "bench <bench@ferry.invalid>" >/dev/null

measure() { # name, command...
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.$name" "$@" >"$work/out.$name" 2>"$work/err.$name" \
    || { echo "$name failed:" >&2; cat "$work/err.$name" >&2; exit 1; }
  read -r secs kib < "$work/time.$name"
  echo "$name $secs $kib"
}
export_args() { # out, state: prints nothing, sets args
  args=(export --upstream "http://127.0.0.1:$port/" --product "Contoso Widget" --channel bench \
    --state "$work/$2" --cache "$work/cache" --key "$work/keys/signer.sec.asc" --out "$work/$1" \
    --volume-size "$volume" --quiet)
}

export_args warm state-warm; "$ferry" "${args[@]}" >/dev/null   # fills the file cache: no step below downloads
{
  export_args plain state-plain; measure "export (no recovery)" "$ferry" "${args[@]}"
  export_args ferry state-ferry; measure "export --recovery 10%" "$ferry" "${args[@]}" --recovery 10%
  (cd "$work/plain" && measure "par2 create -r10" par2 create -q -q -r10 recovery.par2 manifest.json signatures/*.asc volumes/*.tar)
  rm "$work/ferry/volumes/volume-0002.tar" "$work/plain/volumes/volume-0002.tar"
  measure "ferry repair (1 volume lost)" "$ferry" repair "$work/ferry" --quiet
  (cd "$work/plain" && measure "par2 repair (1 volume lost)" par2 repair -q -q -p recovery.par2)
} > "$work/results"

bytes=$(du -sb "$work/plain/volumes" | cut -f1)
volumes=$(ls "$work/plain/volumes" | grep -c '\.tar$')
ferry_rec=$(cat "$work"/ferry/*.par2 | wc -c)
par2_rec=$(cat "$work"/plain/*.par2 | wc -c)
echo "| step | wall time (s) | peak RSS (MiB) |"
echo "|---|---|---|"
while IFS=' ' read -r line; do
  name="${line% * *}"; rest="${line#"$name" }"; secs="${rest% *}"; kib="${rest#* }"
  awk -v n="$name" -v s="$secs" -v k="$kib" 'BEGIN { printf "| %s | %.1f | %.0f |\n", n, s, k/1024 }'
done < "$work/results"
plain=$(awk '/^export \(no recovery\)/ { print $(NF-1) }' "$work/results")
withrec=$(awk '/^export --recovery/ { print $(NF-1) }' "$work/results")
echo
awk -v a="$plain" -v b="$withrec" 'BEGIN { printf "recovery files in the export: %.1f s (export with minus without)\n", b - a }'
echo "bundle: $bytes bytes in $volumes volume(s) of at most $volume; recovery files: ferry $ferry_rec bytes, par2 $par2_rec bytes;" \
     "heap $FERRY_JAVA_OPTS; $(nproc) cores; par2 $(par2 -V 2>&1 | head -1)"
