#!/usr/bin/env bash
# Metadata at WSUS scale: `ferry serve` over a store of REVISIONS synthetic update revisions in the real XML shape
# (ferry.samples.SyntheticCatalog), the server limited to -Xmx512m, timed with real SOAP over HTTP on loopback by
# ferry.samples.MetadataBench: the authorization handshake, GetRevisionIdList for the product x classification
# with the most updates (several runs: min/median/max), GetRevisionIdList with no filter, and GetUpdateData with
# 100 different random ids per request (p50/p95/p99). Then the server's peak RSS, its CPU by thread (JIT compilers,
# collector, the rest) and its peak heap (from its GC log).
# Targets (docs/benchmarks.md): GetRevisionIdList < 2 s, GetUpdateData p99 < 100 ms, within -Xmx512m.
#
#   bench/metadata.sh [REVISIONS] [LIST_RUNS] [DATA_REQUESTS]      e.g. bench/metadata.sh 500000 5 200
#
# The store is built once through the real import path and cached: the generator writes signed metadata-only
# bundles of 25,000 revisions (as `ferry export` lays them out), `ferry import` takes each in turn (about 100 s of
# CPU per bundle since the import makes each revision's GetUpdateData cabinet, docs/benchmarks.md). At 500,000
# revisions that is 35-45 min of CPU, more wall time on a busy machine; the cache is
# ${FERRY_BENCH_CACHE:-$TMPDIR/ferry-bench-metadata}/REVISIONS-seedSEED (FERRY_BENCH_SEED, default 1). The first
# `ferry serve` of a newer ferry migrates the cached store's catalog. FERRY_SERVE_JAR runs another build's
# ferry-cli.jar as the server (before/after comparisons); the generator and the client are always this checkout's.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
revisions="${1:-500000}"
list_runs="${2:-5}"
data_requests="${3:-200}"
seed="${FERRY_BENCH_SEED:-1}"
cache="${FERRY_BENCH_CACHE:-${TMPDIR:-/tmp}/ferry-bench-metadata}/$revisions-seed$seed"
work="$(mktemp -d "${TMPDIR:-/tmp}/ferry-bench-metadata.XXXXXX")"
# The server is waited for: it closes the store as it exits, and a run started right after must find it free.
trap 'rc=$?; if [ -n "${server_pid:-}" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null || true; fi
      rm -rf "$work"; exit "$rc"' EXIT

"$here/ferry" --version >/dev/null   # builds if needed, outside the measurements
jar="$here/cli/target/ferry-cli.jar"
serve_jar="${FERRY_SERVE_JAR:-$jar}"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
  "$(java -version 2>&1 | head -1); load before: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ ! -f "$cache/store.done" ]; then
  echo "building a store of $revisions revisions (seed $seed) in $cache ..." >&2
  rm -rf "$cache"
  mkdir -p "$cache"
  java -jar "$jar" keys generate --out "$cache/keys" --user-id "bench <bench@ferry.invalid>" >/dev/null
  java -jar "$jar" keys trust "$cache/keys/signer.pub.asc" --trust-store "$cache/trust" >/dev/null
  t0=$(date +%s.%N)
  /usr/bin/time -f "generate: %e s wall, %U + %S s CPU, peak RSS %M KiB" -a -o "$cache/build.txt" \
    java -Xmx512m -cp "$jar" ferry.samples.SyntheticBundles --out "$cache/bundles" --key "$cache/keys/signer.sec.asc" \
    --revisions "$revisions" --seed "$seed" --per-bundle 25000
  for b in "$cache"/bundles/bundle-*; do
    /usr/bin/time -f "import $(basename "$b"): %e s wall, %U + %S s CPU, peak RSS %M KiB, load $(cut -d" " -f1 /proc/loadavg)" -a -o "$cache/build.txt" \
      java -Xmx1500m -jar "$jar" import "$b" --store "$cache/store" --trust-store "$cache/trust" --quiet >/dev/null
  done
  t1=$(date +%s.%N)
  {
    echo "store built in $(echo "$t1 - $t0" | bc) s"
    echo "store size: $(du -sh "$cache/store" | cut -f1), catalog $(du -sh "$cache/store/catalog.mv.db" | cut -f1)"
    echo "bundles: $(du -sh "$cache/bundles" | cut -f1)"
  } >>"$cache/build.txt"
  cp "$cache/bundles/summary.properties" "$cache/summary.properties"
  rm -rf "$cache/bundles"
  touch "$cache/store.done"
fi
cat "$cache/build.txt"
prop() { sed -n "s/^$1=//p" "$cache/summary.properties"; }
echo "catalog: $(prop revisions) revisions: $(prop categories) categories, $(prop detectoids) detectoids,"\
  "$(prop updates) updates ($(prop bundles) bundles with $(prop leaves) leaves), $(prop laterRevisions) later revisions;"\
  "$(prop metadataBytes) bytes of metadata"
echo "selection: $(prop largestProductTitle) ($(prop largestProduct)) x classification $(prop largestClassification):"\
  "$(prop largestSelectionUpdates) updates"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# shellcheck disable=SC2086
java -Xmx512m -Xlog:gc:file="$work/gc.log" -jar "$serve_jar" serve --store "$cache/store" --bind 127.0.0.1 \
  --port "$port" >"$work/serve.log" 2>&1 &
server_pid=$!
t0=$(date +%s.%N)
for _ in $(seq 1 600); do
  # any answer will do: not the status page, whose counts read the whole catalog
  curl -s -o /dev/null "http://127.0.0.1:$port/ferry-bench-ready" && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.log" >&2; exit 1; }
  sleep 0.2
done
echo "server up in $(echo "$(date +%s.%N) - $t0" | bc | cut -c1-5) s (java -Xmx512m, $(basename "$(dirname "$(dirname "$serve_jar")")")/$(basename "$serve_jar"))"

java -Xmx512m -cp "$jar" ferry.samples.MetadataBench --upstream "http://127.0.0.1:$port/" \
  --product "$(prop largestProduct)" --classification "$(prop largestClassification)" \
  --list-runs "$list_runs" --data-requests "$data_requests" --server-pid "$server_pid"

echo "server peak RSS: $(awk '/VmHWM/ { printf "%.0f MiB", $2 / 1024 }' "/proc/$server_pid/status")"
# Where the server's CPU went over the whole run, by thread: the JIT compilers and the collector count in the
# "server CPU per request" figures above, and on a short run they are a large share (docs/benchmarks.md). Threads
# that ended (idle pool threads, compiler threads the JVM let go) are counted in the total only.
threads_cpu() {
  local t s f n=0 jit=0 gc=0
  for t in /proc/"$server_pid"/task/*; do
    s="$(cat "$t/stat" 2>/dev/null)" || continue
    read -r -a f <<<"${s##*) }"
    n=$(( (f[11] + f[12]) * 10 ))
    case "$(cat "$t/comm" 2>/dev/null)" in
      C1\ Compiler*|C2\ Compiler*) jit=$((jit + n)) ;;
      GC\ Thread*|G1\ *|VM\ Thread) gc=$((gc + n)) ;;
    esac
  done
  read -r -a f <<<"$(sed 's/.*) //' "/proc/$server_pid/stat")"
  n=$(( (f[11] + f[12]) * 10 ))
  echo "server CPU over the run: $n ms in all, of which JIT compiler threads $jit ms, collector threads $gc ms,"\
    "the rest (request, Jetty and H2 threads) $((n - jit - gc)) ms"
}
threads_cpu
# G1 lines look like "... Pause Young (Normal) (G1 Evacuation Pause) 180M->42M(512M) 3.1ms": the largest
# before-collection figure is the peak heap in use.
echo "server peak heap in use: $(grep -o '[0-9]*M->[0-9]*M([0-9]*M)' "$work/gc.log" | sed 's/M->.*//' | sort -n | tail -1) MiB"\
  "(of 512 MiB; $(grep -c 'Pause' "$work/gc.log") collections)"
if grep -q "OutOfMemoryError" "$work/serve.log"; then
  echo "server ran out of memory:" >&2
  grep -m3 "OutOfMemoryError" "$work/serve.log" >&2
  exit 1
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
