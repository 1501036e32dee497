# Sourced by bench/verify.sh and bench/import.sh: makes a signed bundle of one generated file of $size cut into
# volumes of $volume with the built ./ferry (from the sample upstream, as bench/whole-path.sh does), then stops the
# upstream and deletes its files. Sets: here, work, ferry, ferry_jvm (the measured command), bundle, trust,
# measure(), median(), machine().
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/ferry-bench.XXXXXX")"
trap 'kill "${upstream_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
export FERRY_JAVA_OPTS="${FERRY_JAVA_OPTS:--Xmx256m}"
ferry="$here/ferry"
"$ferry" --version >/dev/null   # builds if needed, outside the measurements
# Measured runs start the JVM directly: ./ferry first searches the checkout for sources newer than the jar (~0.7 s).
# shellcheck disable=SC2206
ferry_jvm=(java $FERRY_JAVA_OPTS -jar "$here/cli/target/ferry-cli.jar")

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
echo "generating a $size file and starting the sample upstream on port $port ..." >&2
"$ferry" sample-upstream --port "$port" --dir "$work/upstream" --feature-update-size "$size" >"$work/upstream.log" 2>&1 &
upstream_pid=$!
for _ in $(seq 1 900); do grep -q "Ctrl-C" "$work/upstream.log" 2>/dev/null && break; sleep 1; done
grep -q "Ctrl-C" "$work/upstream.log" || { cat "$work/upstream.log" >&2; exit 1; }

"$ferry" keys generate --out "$work/keys" --user-id "bench <bench@ferry.invalid>" >/dev/null
"$ferry" keys trust "$work/keys/signer.pub.asc" --trust-store "$work/trust" >/dev/null
trust="$work/trust"
bundle="$work/bundle"
echo "exporting in volumes of $volume ..." >&2
"$ferry" export --upstream "http://127.0.0.1:$port/" --product "Contoso Widget" --channel bench \
  --state "$work/state" --key "$work/keys/signer.sec.asc" --out "$bundle" --volume-size "$volume" --quiet
kill "$upstream_pid"; wait "$upstream_pid" 2>/dev/null || true; upstream_pid=
rm -rf "$work/upstream"   # only the bundle is needed from here on; give the disk and page cache back

# measure NAME COMMAND...: runs it under /usr/bin/time and prints "NAME seconds peak_kib"
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time.$name" "$@" >"$work/out.$name" 2>"$work/err.$name" \
    || { echo "$name failed:" >&2; cat "$work/err.$name" >&2; exit 1; }
  read -r secs kib < "$work/time.$name"
  echo "$name $secs $kib"
}

# median of the numbers on stdin
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

machine() {
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
    "$(java -version 2>&1 | head -1), $(sha256sum --version | head -1); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
}
