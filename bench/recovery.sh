#!/usr/bin/env bash
# Recovery data: what `ferry export --recovery 10%` spends on its PAR 2.0 files, against `par2 create -r10` (par2cmdline)
# on the same bundle files, and the repair of one deleted volume by `ferry repair` and by `par2 repair`. Each step
# runs as its own process under /usr/bin/time (wall time, peak resident memory); ferry with a small heap
# (FERRY_JAVA_OPTS, default -Xmx256m). The export's recovery cost is the difference between an export with
# --recovery 10% and the same export without (same file cache, so neither downloads). Results go to stdout as a
# Markdown table; docs/benchmarks.md records them with the machine they ran on.
#
#   bench/recovery.sh [FILE_SIZE] [VOLUME_SIZE]      e.g. bench/recovery.sh 256MiB 16MiB
# (each volume must be under 10% of the bundle, or one lost volume is beyond the 10% recovery data)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size="${1:-256MiB}"
volume="${2:-16MiB}"
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
  /usr/bin/time -f "%e %U %S %M" -o "$work/time.$name" "$@" >"$work/out.$name" 2>"$work/err.$name" \
    || { echo "$name failed:" >&2; cat "$work/err.$name" >&2; exit 1; }
  read -r secs user sys kib < "$work/time.$name"
  echo "$name|$secs|$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')|$kib"
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
  cat "$work"/ferry/*.par2 | wc -c > "$work/size.ferry"      # before par2 repair -p removes its recovery files
  cat "$work"/plain/*.par2 | wc -c > "$work/size.par2"
  rm "$work/ferry/volumes/volume-0002.tar" "$work/plain/volumes/volume-0002.tar"
  measure "ferry repair (1 volume lost)" "$ferry" repair "$work/ferry" --quiet
  (cd "$work/plain" && measure "par2 repair (1 volume lost)" par2 repair -q -q -p recovery.par2)
} > "$work/results"

bytes=$(du -sb "$work/ferry/volumes" | cut -f1)
volumes=$(( $(ls "$work/ferry/volumes" | grep -c '\.tar$') ))
ferry_rec=$(cat "$work/size.ferry")
par2_rec=$(cat "$work/size.par2")
echo "| step | wall time (s) | CPU time (s) | peak RSS (MiB) |"
echo "|---|---|---|---|"
while IFS='|' read -r name secs cpu kib; do
  awk -v n="$name" -v s="$secs" -v c="$cpu" -v k="$kib" 'BEGIN { printf "| %s | %.1f | %.1f | %.0f |\n", n, s, c, k/1024 }'
done < "$work/results"
echo
awk -F'|' '/^export \(no recovery\)/ { w0 = $2; c0 = $3 } /^export --recovery/ { w1 = $2; c1 = $3 }
  END { printf "recovery files in the export: %.1f s wall, %.1f s CPU (export with minus without)\n", w1 - w0, c1 - c0 }' \
  "$work/results"
echo "bundle: $bytes bytes in $volumes volume(s) of at most $volume; recovery files: ferry $ferry_rec bytes, par2 $par2_rec bytes;" \
     "heap $FERRY_JAVA_OPTS; $(nproc) cores; par2 $(par2 -V 2>&1 | head -1)"
