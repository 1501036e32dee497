#!/usr/bin/env bash
# Whole-process benchmark of `ferry verify` against `sha256sum` of the same volume files, side by side in one run
# (review target: sha256sum time / ferry verify time >= 1.6 on 2 cores). The page cache is warmed by reading the
# volumes once first; each repetition runs sha256sum, ferry verify, and ferry verify forced to one thread
# (-Dferry.verify.threads=1, for reference), each as its own process. Prints per-repetition figures, medians and the
# ratio of the medians.
#
#   bench/verify.sh [SIZE] [VOLUME_SIZE] [REPETITIONS]      e.g. bench/verify.sh 4GiB 512MiB 3
size="${1:-4GiB}"
volume="${2:-512MiB}"
reps="${3:-3}"
source "$(dirname "${BASH_SOURCE[0]}")/bundle.sh"

volumes=("$bundle"/volumes/*)
cat "${volumes[@]}" >/dev/null   # warm cache
machine
: > "$work/results"
for rep in $(seq 1 "$reps"); do
  measure sha256sum sha256sum "${volumes[@]}" | tee -a "$work/results"
  measure verify "${ferry_jvm[@]}" verify "$bundle" --trust-store "$trust" --quiet | tee -a "$work/results"
  measure verify-1-thread "${ferry_jvm[0]}" -Dferry.verify.threads=1 "${ferry_jvm[@]:1}" verify "$bundle" \
    --trust-store "$trust" --quiet | tee -a "$work/results"
done
sha=$(awk '$1 == "sha256sum" { print $2 }' "$work/results" | median)
ver=$(awk '$1 == "verify" { print $2 }' "$work/results" | median)
one=$(awk '$1 == "verify-1-thread" { print $2 }' "$work/results" | median)
bytes=$(du -sb "$bundle/volumes" | cut -f1)
echo
echo "| command | median wall time (s) | throughput (MiB/s) |"
echo "|---|---|---|"
for pair in "sha256sum:$sha" "ferry verify:$ver" "ferry verify, 1 thread:$one"; do
  awk -v n="${pair%%:*}" -v s="${pair##*:}" -v b="$bytes" 'BEGIN { printf "| %s | %.2f | %.0f |\n", n, s, b/1048576/s }'
done
echo
awk -v a="$sha" -v b="$ver" -v c="$one" 'BEGIN { printf "ratio sha256sum / ferry verify = %.2f (1 thread: %.2f)\n", a/b, a/c }'
echo "bundle: $bytes bytes in ${#volumes[@]} volumes of at most $volume; $reps repetitions; heap $FERRY_JAVA_OPTS;" \
  "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
