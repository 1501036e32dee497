#!/usr/bin/env bash
# Whole-process benchmark of `ferry import` into a fresh store against `cp` of the same volumes into a fresh
# directory followed by `sha256sum` of the copies (one shell process), side by side in one run (review target:
# cp+sha256sum time / ferry import time >= 0.9). The page cache is warmed by reading the volumes once first; the
# store and the copies are deleted between repetitions, outside the measurements. Prints per-repetition figures,
# medians and the ratio of the medians.
#
#   bench/import.sh [SIZE] [VOLUME_SIZE] [REPETITIONS]      e.g. bench/import.sh 4GiB 512MiB 3
size="${1:-4GiB}"
volume="${2:-512MiB}"
reps="${3:-3}"
source "$(dirname "${BASH_SOURCE[0]}")/bundle.sh"

volumes=("$bundle"/volumes/*)
cat "${volumes[@]}" >/dev/null   # warm cache
machine
: > "$work/results"
for rep in $(seq 1 "$reps"); do
  rm -rf "$work/copy" "$work/store"
  sync
  measure cp+sha256sum bash -c 'mkdir "$1" && cp "${@:2}" "$1"/ && sha256sum "$1"/*' _ "$work/copy" "${volumes[@]}" \
    | tee -a "$work/results"
  rm -rf "$work/copy"
  sync
  measure import "${ferry_jvm[@]}" import "$bundle" --store "$work/store" --trust-store "$trust" --quiet | tee -a "$work/results"
done
rm -rf "$work/store"
cps=$(awk '$1 == "cp+sha256sum" { print $2 }' "$work/results" | median)
imp=$(awk '$1 == "import" { print $2 }' "$work/results" | median)
bytes=$(du -sb "$bundle/volumes" | cut -f1)
echo
echo "| command | median wall time (s) | throughput (MiB/s) |"
echo "|---|---|---|"
for pair in "cp + sha256sum of the copies:$cps" "ferry import:$imp"; do
  awk -v n="${pair%%:*}" -v s="${pair##*:}" -v b="$bytes" 'BEGIN { printf "| %s | %.2f | %.0f |\n", n, s, b/1048576/s }'
done
echo
awk -v a="$cps" -v b="$imp" 'BEGIN { printf "ratio (cp + sha256sum) / ferry import = %.2f\n", a/b }'
echo "bundle: $bytes bytes in ${#volumes[@]} volumes of at most $volume; $reps repetitions; heap $FERRY_JAVA_OPTS;" \
  "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
