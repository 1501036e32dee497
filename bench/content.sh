#!/usr/bin/env bash
# Content serving: `ferry serve`'s /Content/ against nginx on the SAME object files of a store, side by side in
# one run, measured with wrk on loopback (review target, issue 6: ferry >= 0.8x nginx in requests/s and bytes/s).
#
# The store is built the normal way: the sample upstream generates one large update file and many small ones,
# `ferry export` writes a signed bundle, `ferry import` imports it. ferry then serves the store; nginx serves a
# directory of symbolic links /Content/<XX>/<SHA1>.<ext> -> the store's objects/sha256/<2 hex>/<64 hex>, so both
# read the same inodes from the same disk through the same URLs. Two workloads, each run against nginx and then
# ferry, RUNS times, after a warm-up of both:
#   range  random 1 MiB byte ranges (Range: bytes=a-b, a new random a per request) of the large file -> 206
#   small  whole small files, a random one of the many per request -> 200
# wrk prints requests and bytes (response headers included) per run; the ratios are ferry / nginx per run. The CPU
# time each server process used during a measurement (user + system, from /proc; nginx: its workers) is reported
# per request too, and wrk's own: unlike requests/s they hardly depend on what else runs on the machine, and together
# they give what a machine running nothing else would do (2 cores / (server + wrk CPU per request), when CPU-bound).
#
#   bench/content.sh           full run (1 GiB file, 400 files of 256 KiB, 20 s per measurement after 30 s of
#                              warm-up, 3 runs), about 10 minutes
#   QUICK=1 bench/content.sh   quick check that it all works (256 MiB file, 100 files, 5 s per measurement after
#                              10 s of warm-up, 1 run), about 3 minutes; the JIT is not settled that soon, so
#                              ferry's figures come out lower than in a full run
# Any parameter below can be set in the environment, e.g. CONNECTIONS=32 DURATION=30 bench/content.sh.
# BEFORE_JAR=path/to/ferry-cli.jar also serves the same objects with another build (e.g. one made before a change,
# `git archive COMMIT | tar -x -C DIR` then `./mvnw -q -o -DskipTests -pl cli -am package` in DIR) and measures it
# in the same run as "before" (its own copy of the catalog, the objects hard-linked: the same inodes).
# WORK=DIR keeps the store and nginx's directory in DIR and reuses them on the next run (for profiling: serve that
# store yourself, e.g. with FERRY_JAVA_OPTS=-XX:StartFlightRecording=filename=serve.jfr).
# Needs nginx and wrk (Debian: nginx-light, wrk; installed with apt-get when missing and running as root).
set -euo pipefail

if [ -n "${QUICK:-}" ]; then
  : "${LARGE_SIZE:=256MiB}" "${SMALL_FILES:=100}" "${DURATION:=5}" "${WARMUP:=10}" "${RUNS:=1}"
fi
LARGE_SIZE="${LARGE_SIZE:-1GiB}"       # size of the large update file (ranges are drawn from it)
RANGE_BYTES="${RANGE_BYTES:-1048576}"  # bytes per range request
SMALL_FILES="${SMALL_FILES:-400}"      # how many different small files
SMALL_SIZE="${SMALL_SIZE:-256KiB}"     # size of each small file
DURATION="${DURATION:-20}"             # seconds per measurement
WARMUP="${WARMUP:-30}"                 # seconds of warm-up per server and workload (the JIT), not reported
RUNS="${RUNS:-3}"                      # measurements per server and workload
CONNECTIONS="${CONNECTIONS:-16}"       # wrk connections (ferry allows 32 per client address by default)
THREADS="${THREADS:-2}"                # wrk threads
NGINX_WORKERS="${NGINX_WORKERS:-auto}" # nginx worker processes (auto: one per core)
export FERRY_JAVA_OPTS="${FERRY_JAVA_OPTS:--Xmx256m}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -n "${WORK:-}" ]; then
  work="$(mkdir -p "$WORK" && cd "$WORK" && pwd)"
else
  work="$(mktemp -d "${TMPDIR:-/tmp}/ferry-content.XXXXXX")"
fi
cleanup() {
  for pid in "${upstream_pid:-}" "${serve_pid:-}" "${before_pid:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work/nginx.pid" "$work/store-before"
  [ -n "${WORK:-}" ] || rm -rf "$work"
}
trap cleanup EXIT

if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
  [ "$(id -u)" = 0 ] || { echo "needs nginx and wrk (apt-get install nginx-light wrk)" >&2; exit 1; }
  echo "installing nginx-light and wrk ..." >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light wrk >"$work/apt.log" 2>&1 \
    || { cat "$work/apt.log" >&2; exit 1; }
  # The package may start a system nginx on port 80; this script runs its own on a free port.
fi
ferry="$here/ferry"
"$ferry" --version >/dev/null   # builds if needed, outside the measurements
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for() { # file, text
  for _ in $(seq 1 900); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 1; done
  cat "$1" >&2; return 1
}

build_store() {
  # ---- the store ----
  port=$(free_port)
  echo "generating a $LARGE_SIZE file and $SMALL_FILES files of $SMALL_SIZE, starting the sample upstream ..." >&2
  "$ferry" sample-upstream --port "$port" --dir "$work/upstream" --feature-update-size "$LARGE_SIZE" \
    --small-files "$SMALL_FILES" --small-file-size "$SMALL_SIZE" >"$work/upstream.log" 2>&1 &
  upstream_pid=$!
  wait_for "$work/upstream.log" "Ctrl-C"
  "$ferry" keys generate --out "$work/keys" --user-id "bench <bench@ferry.invalid>" >/dev/null
  "$ferry" keys trust "$work/keys/signer.pub.asc" --trust-store "$work/trust" >/dev/null
  echo "exporting and importing ..." >&2
  "$ferry" export --upstream "http://127.0.0.1:$port/" --product "Contoso Widget" --channel bench --state "$work/state" \
    --key "$work/keys/signer.sec.asc" --out "$work/bundle" --volume-size 2GiB --quiet >/dev/null
  kill "$upstream_pid"; wait "$upstream_pid" 2>/dev/null || true; upstream_pid=
  "$ferry" import "$work/bundle" --store "$work/store" --trust-store "$work/trust" --quiet >/dev/null
  rm -rf "$work/bundle" "$work/root" "$work/sizes"

  # ---- the same objects under their content URLs, for nginx ----
  # The upstream named each file <SHA1>.<ext>; the store names it by its SHA-256.
  mkdir -p "$work/root/Content"
  for f in "$work/upstream/files"/*; do
    name=$(basename "$f"); sha1=${name%%.*}
    sha256=$(sha256sum "$f" | cut -c1-64)
    object="$work/store/objects/sha256/${sha256:0:2}/$sha256"
    [ -f "$object" ] || { echo "no store object for $name" >&2; exit 1; }
    mkdir -p "$work/root/Content/${sha1:38:2}"
    ln -s "$object" "$work/root/Content/${sha1:38:2}/$name"
    case "$name" in
      *.esd) large="/Content/${sha1:38:2}/$name"; large_bytes=$(stat -c %s "$object") ;;
      *) echo "$(stat -c %s "$object") /Content/${sha1:38:2}/$name" >>"$work/sizes" ;;
    esac
  done
  # The small files are the many of one size (the sample's few other files are left out).
  small_bytes=$(cut -d' ' -f1 "$work/sizes" | sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')
  awk -v s="$small_bytes" '$1 == s { print $2 }' "$work/sizes" >"$work/small.paths"
  rm -rf "$work/upstream"   # the store's objects are all that is served from here on
  echo "$large $large_bytes" >"$work/large"
}
[ -s "$work/large" ] && [ -s "$work/small.paths" ] && [ -d "$work/store" ] || build_store
read -r large large_bytes <"$work/large"
small_count=$(wc -l <"$work/small.paths")
small_bytes=$(stat -Lc %s "$work/root$(head -1 "$work/small.paths")")

nginx_port=$(free_port)
cat >"$work/nginx.conf" <<EOF
user root;
worker_processes $NGINX_WORKERS;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  types { application/octet-stream esd cab msu exe; }
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  keepalive_timeout 30s;
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp;
  fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp;
  scgi_temp_path $work/nginx-tmp;
  server {
    listen 127.0.0.1:$nginx_port;
    root $work/root;
  }
}
EOF
mkdir -p "$work/nginx-tmp"
nginx -c "$work/nginx.conf"

ferry_port=$(free_port)
# shellcheck disable=SC2086
java $FERRY_JAVA_OPTS -jar "$here/cli/target/ferry-cli.jar" serve --store "$work/store" --bind 127.0.0.1 \
  --port "$ferry_port" >"$work/serve.log" 2>&1 &
serve_pid=$!
wait_for "$work/serve.log" "Ctrl-C"
servers=(nginx ferry)
declare -A ports=([nginx]=$nginx_port [ferry]=$ferry_port)
if [ -n "${BEFORE_JAR:-}" ]; then
  # A store is opened by one process at a time: the other build gets its own catalog and the same object files.
  rm -rf "$work/store-before" && mkdir "$work/store-before"
  cp -a "$work/store/catalog.mv.db" "$work/store/store.id" "$work/store/journal" "$work/store-before/"
  cp -al "$work/store/objects" "$work/store-before/objects"
  ports[before]=$(free_port)
  # shellcheck disable=SC2086
  java $FERRY_JAVA_OPTS -jar "$BEFORE_JAR" serve --store "$work/store-before" --bind 127.0.0.1 \
    --port "${ports[before]}" >"$work/serve-before.log" 2>&1 &
  before_pid=$!
  wait_for "$work/serve-before.log" "Ctrl-C"
  servers+=(before)
fi

# ---- both answer the same bytes ----
check() { # url, range, file to compare with
  local got="$work/check.body"
  curl -fsS -r "$2" -o "$got" "$1" || { echo "GET $1 bytes=$2 failed" >&2; exit 1; }
  cmp -s "$got" "$3" || { echo "GET $1 bytes=$2 answered other bytes" >&2; exit 1; }
}
large_object=$(readlink "$work/root$large")
dd if="$large_object" of="$work/expected.range" bs=1M skip=3 count=1 status=none
first_small=$(head -1 "$work/small.paths")
for server in "${servers[@]}"; do
  base="http://127.0.0.1:${ports[$server]}"
  check "$base$large" "3145728-4194303" "$work/expected.range"
  check "$base$first_small" "0-" "$(readlink "$work/root$first_small")"
done

# ---- wrk scripts ----
cat >"$work/report.lua" <<'EOF'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d\n", summary.requests, summary.bytes, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout))
end
EOF
cat - "$work/report.lua" >"$work/range.lua" <<EOF
local size, span = $large_bytes, $RANGE_BYTES
local n = 0
setup = function(thread) n = n + 1; thread:set("seed", n) end
init = function(args) math.randomseed(seed * 7919 + os.time()) end
request = function()
  local a = math.random(0, size - span)
  return wrk.format("GET", "$large", { ["Range"] = "bytes=" .. a .. "-" .. (a + span - 1) })
end
EOF
cat - "$work/report.lua" >"$work/small.lua" <<EOF
local paths = {}
local n = 0
setup = function(thread) n = n + 1; thread:set("seed", n) end
init = function(args)
  math.randomseed(seed * 7919 + os.time())
  for line in io.lines("$work/small.paths") do paths[#paths + 1] = line end
end
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
EOF

cpu_ticks() { # pids... -> user + system clock ticks so far
  local t=0 u s
  for pid in "$@"; do read -r u s < <(awk '{ print $14, $15 }' "/proc/$pid/stat"); t=$((t + u + s)); done
  echo "$t"
}
pids_of() { # server -> its serving processes
  case "$1" in
    nginx) pgrep -P "$(cat "$work/nginx.pid")" | tr '\n' ' ' ;;
    ferry) echo "$serve_pid" ;;
    before) echo "$before_pid" ;;
  esac
}
measure() { # server, workload, seconds -> "requests/s bytes/s server-CPU-ms/request wrk-CPU-ms/request"
  local server=$1 workload=$2 secs=$3 out c0 c1
  # shellcheck disable=SC2046
  c0=$(cpu_ticks $(pids_of "$server"))
  out=$(/usr/bin/time -f "WRKCPU %U %S" -o "$work/wrk.time" wrk -t "$THREADS" -c "$CONNECTIONS" -d "${secs}s" \
    --timeout 10s -s "$work/$workload.lua" "http://127.0.0.1:${ports[$server]}") || { echo "$out" >&2; exit 1; }
  # shellcheck disable=SC2046
  c1=$(cpu_ticks $(pids_of "$server"))
  { echo "$out"; cat "$work/wrk.time"; } | awk -v w="$workload" -v ticks=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" '
    /^WRKCPU/ { client = $2 + $3 }
    /^RESULT/ { if ($5 != 0) { print "wrk counted " $5 " errors (" w ")" > "/dev/stderr"; exit 1 }
      n = $2; rate = $2 / ($4 / 1e6); bytes = $3 / ($4 / 1e6) }
    END { printf "%.1f %.0f %.3f %.3f\n", rate, bytes, ticks / hz * 1000 / n, client * 1000 / n }'
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
  "$(java -version 2>&1 | head -1), $(nginx -v 2>&1 | cut -d' ' -f3), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2);" \
  "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "large file: $large_bytes bytes, ranges of $RANGE_BYTES bytes; $small_count small files of $small_bytes bytes;" \
  "wrk -t $THREADS -c $CONNECTIONS, ${DURATION} s per measurement after ${WARMUP} s warm-up; ferry $FERRY_JAVA_OPTS"
for workload in range small; do
  for server in "${servers[@]}"; do
    measure "$server" "$workload" "$WARMUP" >/dev/null
  done
done
: >"$work/results"
for run in $(seq 1 "$RUNS"); do
  for workload in range small; do
    for server in "${servers[@]}"; do
      result=$(measure "$server" "$workload" "$DURATION")
      echo "$run $workload $server $result" | tee -a "$work/results" >&2
    done
  done
done

echo
echo "| run | workload | server | requests/s | MiB/s | CPU ms/request | requests/s vs nginx | bytes/s vs nginx | CPU/request vs nginx |"
echo "|---|---|---|---|---|---|---|---|---|"
awk '{ k = $1 " " $2; r[k, $3] = $4; b[k, $3] = $5; c[k, $3] = $6; line[NR] = $0 }
  END { for (i = 1; i <= NR; i++) { split(line[i], f, " "); k = f[1] " " f[2]; m = f[3] == "ferry" ? "**" : ""
    printf "| %s | %s | %s | %.0f | %.0f | %.3f | %s%.2f%s | %s%.2f%s | %.2f |\n", f[1], f[2], f[3], f[4],
      f[5] / 1048576, f[6], m, f[4] / r[k, "nginx"], m, m, f[5] / b[k, "nginx"], m, f[6] / c[k, "nginx"] } }' \
  "$work/results"
for workload in range small; do
  for server in "${servers[@]}"; do
    awk -v w="$workload" -v s="$server" '$2 == w && $3 == s { n++; r += $4; b += $5; c += $6; k += $7 }
      END { if (n) printf "%s %s %.1f %.0f %.3f %.3f\n", w, s, r / n, b / n, c / n, k / n }' "$work/results"
  done
done >"$work/means"
echo
echo "| workload | server | mean requests/s | mean MiB/s | mean CPU ms/request | requests/s vs nginx | CPU/request vs nginx | wrk CPU ms/request | CPU-bound estimate vs nginx |"
echo "|---|---|---|---|---|---|---|---|---|"
awk '{ r[$1, $2] = $3; c[$1, $2] = $5; k[$1, $2] = $6; line[NR] = $0 }
  END { for (i = 1; i <= NR; i++) { split(line[i], f, " ")
    printf "| %s | %s | %.0f | %.0f | %.3f | %.2f | %.2f | %.3f | %.2f |\n", f[1], f[2], f[3], f[4] / 1048576, f[5],
      f[3] / r[f[1], "nginx"], f[5] / c[f[1], "nginx"], f[6],
      (c[f[1], "nginx"] + k[f[1], "nginx"]) / (f[5] + f[6]) } }' "$work/means"
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
