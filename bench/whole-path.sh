#!/usr/bin/env bash
# Whole-process benchmark of the main job with one large update file: export from the sample upstream,
# verify, import. Each step runs as its own process with a small heap (FERRY_JAVA_OPTS, default -Xmx256m)
# under /usr/bin/time, which reports wall time and peak resident memory. Results go to stdout as a
# Markdown table; docs/benchmarks.md records them with the machine they ran on.
#
#   bench/whole-path.sh [FILE_SIZE] [VOLUME_SIZE]      e.g. bench/whole-path.sh 2GiB 700MiB
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size="${1:-2GiB}"
volume="${2:-700MiB}"
work="$(mktemp -d "${TMPDIR:-/tmp}/ferry-bench.XXXXXX")"
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
"$ferry" keys trust "$work/keys/signer.pub.asc" --trust-store "$work/trust" >/dev/null

measure() { # name, command...
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.$name" "$@" >"$work/out.$name" 2>"$work/err.$name" \
    || { echo "$name failed:" >&2; cat "$work/err.$name" >&2; exit 1; }
  read -r secs kib < "$work/time.$name"
  echo "$name $secs $kib"
}

{
  measure export "$ferry" export --upstream "http://127.0.0.1:$port/" --product "Contoso Widget" --channel bench \
    --state "$work/state" --key "$work/keys/signer.sec.asc" --out "$work/bundle" --volume-size "$volume" --quiet
  measure verify "$ferry" verify "$work/bundle" --trust-store "$work/trust" --quiet
  measure import "$ferry" import "$work/bundle" --store "$work/store" --trust-store "$work/trust" --quiet
} > "$work/results"

bytes=$(du -sb "$work/bundle/volumes" | cut -f1)
volumes=$(ls "$work/bundle/volumes" | wc -l)
echo "| step | wall time (s) | peak RSS (MiB) | throughput (MiB/s) |"
echo "|---|---|---|---|"
while read -r name secs kib; do
  awk -v n="$name" -v s="$secs" -v k="$kib" -v b="$bytes" \
    'BEGIN { printf "| %s | %.1f | %.0f | %.0f |\n", n, s, k/1024, (s > 0 ? b/1048576/s : 0) }'
done < "$work/results"
echo
echo "bundle: $bytes bytes in $volumes volume(s) of at most $volume; file $size; heap $FERRY_JAVA_OPTS; $(nproc) cores"
