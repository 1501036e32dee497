#!/usr/bin/env bash
# Interleaved whole-process comparison on an existing bundle: `cp` of its volumes + `sha256sum` of the copies,
# `ferry import` with another build's jar (the baseline), and `ferry import` with this checkout's jar, with and
# without the class data sharing archive ./ferry makes (cli/target/cds/, see the launcher). One repetition runs
# each command once, in that order, each into a fresh directory on the same file system; the page cache is warmed
# first. Prints every run, the medians, the ratios to cp + sha256sum, and the load before and after.
#
#   bench/import-ab.sh BUNDLE TRUST_STORE BASE_JAR [REPETITIONS] [WORK_DIR]
#   e.g. bench/import-ab.sh /work/bench-data/bundle /work/bench-data/trust /tmp/base/ferry-cli.jar 5
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bundle="$1"; trust="$2"; base_jar="$3"; reps="${4:-3}"
work="$(mktemp -d "${5:-${TMPDIR:-/tmp}}/ferry-import-ab.XXXXXX")"
trap 'rm -rf "$work"' EXIT
heap="${FERRY_JAVA_OPTS:--Xmx256m}"
jar="$here/cli/target/ferry-cli.jar"
# builds if needed and starts making the CDS archive if missing (FERRY_BENCH_NO_BUILD=1: use the jar as it is)
[ "${FERRY_BENCH_NO_BUILD:-0}" = 1 ] || "$here/ferry" --version >/dev/null
for _ in $(seq 1 120); do ls "$here"/cli/target/cds/ferry-*.jsa >/dev/null 2>&1 && break; sleep 2; done
archive="$(ls "$here"/cli/target/cds/ferry-*.jsa 2>/dev/null | head -1 || true)"
volumes=("$bundle"/volumes/*)
cat "${volumes[@]}" >/dev/null
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
  "$(java -version 2>&1 | head -1); heap $heap; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bundle: $(du -sb "$bundle/volumes" | cut -f1) bytes in ${#volumes[@]} volumes; CDS archive: ${archive:-none}"

run() { # NAME COMMAND...
  local name=$1; shift
  rm -rf "$work/out"; sync
  /usr/bin/time -f "%e" -o "$work/t" "$@" >"$work/log" 2>&1 || { echo "$name failed:" >&2; cat "$work/log" >&2; exit 1; }
  echo "$name $(cat "$work/t")" | tee -a "$work/results"
}
: >"$work/results"
for rep in $(seq 1 "$reps"); do
  run cp+sha256sum bash -c 'mkdir "$1" && cp "${@:2}" "$1"/ && sha256sum "$1"/* >/dev/null' _ "$work/out" "${volumes[@]}"
  # shellcheck disable=SC2086
  run base java $heap -jar "$base_jar" import "$bundle" --store "$work/out" --trust-store "$trust" --quiet
  # shellcheck disable=SC2086
  run this java $heap -jar "$jar" import "$bundle" --store "$work/out" --trust-store "$trust" --quiet
  if [ -n "$archive" ]; then
    # shellcheck disable=SC2086
    run this+cds java -XX:SharedArchiveFile="$archive" -Xlog:disable $heap -jar "$jar" import "$bundle" \
      --store "$work/out" --trust-store "$trust" --quiet
  fi
done
rm -rf "$work/out"
med() { awk -v n="$1" '$1 == n { print $2 }' "$work/results" | sort -g \
  | awk '{ a[NR] = $1 } END { if (NR) print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
cps=$(med cp+sha256sum)
echo
echo "| command | median (s) | (cp + sha256sum) / command |"
echo "|---|---|---|"
for n in cp+sha256sum base this this+cds; do
  m=$(med "$n"); [ -n "$m" ] || continue
  awk -v n="$n" -v m="$m" -v c="$cps" 'BEGIN { printf "| %s | %.2f | %.2f |\n", n, m, c / m }'
done
echo "$reps repetitions; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
