#!/usr/bin/env bash
# Whole-process benchmark of `ferry import` into a fresh store, alone and while `ferry serve` serves that store
# (serve opened the catalog first, so the import's catalog work goes through the serving process over loopback),
# side by side in one run. Prints per-repetition figures, medians and the ratio of the medians.
#
#   bench/import-while-serving.sh [SIZE] [VOLUME_SIZE] [REPETITIONS]      e.g. bench/import-while-serving.sh 1GiB 256MiB 3
size="${1:-1GiB}"
volume="${2:-256MiB}"
reps="${3:-3}"
source "$(dirname "${BASH_SOURCE[0]}")/bundle.sh"

volumes=("$bundle"/volumes/*)
cat "${volumes[@]}" >/dev/null   # warm cache
machine
: > "$work/results"
for rep in $(seq 1 "$reps"); do
  rm -rf "$work/store"
  sync
  measure import-alone "${ferry_jvm[@]}" import "$bundle" --store "$work/store" --trust-store "$trust" --quiet \
    | tee -a "$work/results"
  rm -rf "$work/store"
  "${ferry_jvm[@]}" serve --store "$work/store" --bind 127.0.0.1 --port 0 >"$work/serve.log" 2>&1 &
  serve_pid=$!
  for _ in $(seq 1 300); do grep -q "Ctrl-C" "$work/serve.log" 2>/dev/null && break; sleep 0.1; done
  grep -q "Ctrl-C" "$work/serve.log" || { cat "$work/serve.log" >&2; exit 1; }
  sync
  measure import-served "${ferry_jvm[@]}" import "$bundle" --store "$work/store" --trust-store "$trust" --quiet \
    | tee -a "$work/results"
  kill "$serve_pid"; wait "$serve_pid" 2>/dev/null || true
done
rm -rf "$work/store"
alone=$(awk '$1 == "import-alone" { print $2 }' "$work/results" | median)
served=$(awk '$1 == "import-served" { print $2 }' "$work/results" | median)
bytes=$(du -sb "$bundle/volumes" | cut -f1)
echo
echo "| command | median wall time (s) | throughput (MiB/s) |"
echo "|---|---|---|"
for pair in "ferry import, store not served:$alone" "ferry import, store served meanwhile:$served"; do
  awk -v n="${pair%%:*}" -v s="${pair##*:}" -v b="$bytes" 'BEGIN { printf "| %s | %.2f | %.0f |\n", n, s, b/1048576/s }'
done
echo
awk -v a="$alone" -v b="$served" 'BEGIN { printf "ratio alone / served = %.2f\n", a/b }'
echo "bundle: $bytes bytes in ${#volumes[@]} volumes of at most $volume; $reps repetitions; heap $FERRY_JAVA_OPTS;" \
  "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
