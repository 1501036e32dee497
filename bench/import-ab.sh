#!/usr/bin/env bash
# Interleaved whole-process comparison on an existing bundle: `cp` of its volumes + `sha256sum` of the copies,
# `ferry import` with another build's jar (the baseline, `java -jar`), and `./ferry import` of this checkout as an
# operator runs it: with the class data sharing archive the launcher makes on a command's first successful run
# (the default) and without it (FERRY_CDS=0). The first `./ferry import`, which makes that archive, runs once
# before the repetitions and is reported on its own. One repetition runs each command once, in that order, each
# into a fresh directory on the same file system; the page cache is warmed first. Prints every run, the medians,
# the ratios to cp + sha256sum, and the load before and after.
#
#   bench/import-ab.sh BUNDLE TRUST_STORE BASE_JAR [REPETITIONS] [WORK_DIR]
#   e.g. bench/import-ab.sh /work/bench-data/bundle /work/bench-data/trust /tmp/base/ferry-cli.jar 5
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="$1"; trust="$2"; base_jar="$3"; reps="${4:-3}"
work="$(mktemp -d "${5:-${TMPDIR:-/tmp}}/ferry-import-ab.XXXXXX")"
trap 'rm -rf "$work"' EXIT
heap="${FERRY_JAVA_OPTS:--Xmx256m}"
# builds if needed (FERRY_BENCH_NO_BUILD=1: use the build as it is); the import's archive is made below
[ "${FERRY_BENCH_NO_BUILD:-0}" = 1 ] || FERRY_CDS=0 "$here/ferry" --version >/dev/null
rm -rf "$here"/cli/target/cds/ferry-*-import-*.jsa "$here"/cli/target/cds/lock-import
volumes=("$bundle"/volumes/*)
cat "${volumes[@]}" >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
  "$(java -version 2>&1 | head -1); heap $heap; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bundle: $(du -sb "$bundle/volumes" | cut -f1) bytes in ${#volumes[@]} volumes"

run() { # NAME COMMAND...
  local name=$1; shift
  rm -rf "$work/out"; sync
  /usr/bin/time -f "%e" -o "$work/t" "$@" >"$work/log" 2>&1 || { echo "$name failed:" >&2; cat "$work/log" >&2; exit 1; }
  echo "$name $(cat "$work/t")" | tee -a "$work/results"
}
: >"$work/results"
run first-run-makes-archive env FERRY_JAVA_OPTS="$heap" "$here/ferry" import "$bundle" --store "$work/out" \
  --trust-store "$trust" --quiet
for rep in $(seq 1 "$reps"); do
  run cp+sha256sum bash -c 'mkdir "$1" && cp "${@:2}" "$1"/ && sha256sum "$1"/* >/dev/null' _ "$work/out" "${volumes[@]}"
  # shellcheck disable=SC2086
  run base java $heap -jar "$base_jar" import "$bundle" --store "$work/out" --trust-store "$trust" --quiet
  run this-no-cds env FERRY_CDS=0 FERRY_JAVA_OPTS="$heap" "$here/ferry" import "$bundle" --store "$work/out" \
    --trust-store "$trust" --quiet
  run this env FERRY_JAVA_OPTS="$heap" "$here/ferry" import "$bundle" --store "$work/out" --trust-store "$trust" --quiet
done
rm -rf "$work/out"
med() { awk -v n="$1" '$1 == n { print $2 }' "$work/results" | sort -g \
  | awk '{ a[NR] = $1 } END { if (NR) print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
cps=$(med cp+sha256sum)
echo
echo "| command | median (s) | (cp + sha256sum) / command |"
echo "|---|---|---|"
for n in cp+sha256sum base this-no-cds this first-run-makes-archive; do
  m=$(med "$n"); [ -n "$m" ] || continue
  awk -v n="$n" -v m="$m" -v c="$cps" 'BEGIN { printf "| %s | %.2f | %.2f |\n", n, m, c / m }'
done
echo "$reps repetitions; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
