#!/usr/bin/env bash
# APT benchmark: ferry export + import (which publishes a signed snapshot) against aptly mirror create + mirror
# update + snapshot create + publish snapshot, of the same selection (a whole component of PACKAGES generated
# packages, amd64) from the same local upstream, in one run. The upstream is built here: .deb files made by the real
# dpkg-deb (payloads of random bytes, 4-128 KiB, so nothing compresses), Packages(.gz/.xz), a Release signed with
# gpg (InRelease, Release.gpg), served by python3's threading http.server on 127.0.0.1. Both sides verify the
# upstream signature with the same keyring and sign what they publish with a key of their own (ferry: its bundle
# signer and the site repository key; aptly: a gpg key). Per step: wall time and peak RSS (/usr/bin/time); per
# tool: the sum of the times and the largest peak. Caches are cold for both (fresh state, store, aptly root).
#
# ferry runs as operators run it: through the ./ferry launcher, with the JVM settings it picks and the class data
# sharing archive it makes per command on a command's first run (README.md, the launcher). That first run of export and
# of import happens here, outside the measurements, on a one-package selection of the same upstream
# (FERRY_BENCH_LAUNCHER=0: plain `java -jar`, no archive, no launcher settings).
#
# FERRY_BENCH_BASELINE=DIR (a directory holding another build's ferry-cli.jar and lib/, e.g. a copy of cli/target
# made before a change, and optionally that build's launcher script as DIR/ferry) measures that build too, as tool
# "baseline", in the same run: before/after side by side with aptly, on the same upstream and under the same load.
# The baseline runs through DIR/ferry if present (else this checkout's launcher), its archives made the same way.
#
#   bench/apt.sh [PACKAGES] [REPETITIONS]      e.g. bench/apt.sh 3000 3
set -euo pipefail
n="${1:-3000}"
reps="${2:-1}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/ferry-apt-bench.XXXXXX")"
# FERRY_BENCH_KEEP=1 keeps the upstream, bundle, store and aptly root in the printed directory
trap 'kill "${http_pid:-}" 2>/dev/null || true; GNUPGHOME="$work/gnupg" gpgconf --kill gpg-agent 2>/dev/null || true; if [ -n "${FERRY_BENCH_KEEP:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi' EXIT
export FERRY_JAVA_OPTS="${FERRY_JAVA_OPTS:--Xmx512m}"
"$here/ferry" --version >/dev/null   # builds if needed, outside the measurements
launcher="${FERRY_BENCH_LAUNCHER:-1}"
if [ "$launcher" = 1 ]; then
  ferry=("$here/ferry")
else
  # shellcheck disable=SC2206
  ferry=(java $FERRY_JAVA_OPTS -jar "$here/cli/target/ferry-cli.jar")
fi
command -v aptly dpkg-deb gpg python3 /usr/bin/time >/dev/null
baseline=()
if [ -n "${FERRY_BENCH_BASELINE:-}" ]; then
  [ -f "$FERRY_BENCH_BASELINE/ferry-cli.jar" ] || { echo "FERRY_BENCH_BASELINE: no ferry-cli.jar in $FERRY_BENCH_BASELINE" >&2; exit 2; }
  if [ "$launcher" = 1 ]; then
    # a checkout-shaped directory around the baseline build: its launcher finds cli/target there (and no sources
    # newer than the jar, so it never builds)
    base_root="$work/baseline-checkout"
    mkdir -p "$base_root/cli"
    ln -s "$(cd "$FERRY_BENCH_BASELINE" && pwd)" "$base_root/cli/target"
    if [ -f "$FERRY_BENCH_BASELINE/ferry" ]; then cp "$FERRY_BENCH_BASELINE/ferry" "$base_root/ferry"; else cp "$here/ferry" "$base_root/ferry"; fi
    baseline=("$base_root/ferry")
  else
    # shellcheck disable=SC2206
    baseline=(java $FERRY_JAVA_OPTS -jar "$FERRY_BENCH_BASELINE/ferry-cli.jar")
  fi
fi

export GNUPGHOME="$work/gnupg"
mkdir -m 700 "$GNUPGHOME"
gpg --batch --quiet --passphrase '' --quick-gen-key "bench upstream <upstream@ferry.invalid>" ed25519 sign never
gpg --batch --quiet --passphrase '' --quick-gen-key "bench aptly site <aptly@ferry.invalid>" ed25519 sign never
gpg --batch --export "upstream@ferry.invalid" > "$work/upstream.gpg"
aptly_key=$(gpg --batch --with-colons --list-keys "aptly@ferry.invalid" | awk -F: '$1 == "fpr" { print $10; exit }')

echo "building an upstream of $n packages with dpkg-deb ..." >&2
up="$work/upstream"
python3 - "$up" "$n" <<'PY'
import gzip, hashlib, lzma, os, random, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor
root, n = sys.argv[1], int(sys.argv[2])
rnd = random.Random(42)
def build(i):
    name = "bench-pkg%05d" % i
    # a chain of dependencies with alternatives and a virtual package, so a closure has work to do
    deps = []
    if i + 1 < n:
        deps.append("bench-pkg%05d (>= 1.0)" % (i + 1))
    if i % 7 == 0:
        deps.append("bench-virtual | bench-pkg%05d" % ((i + 3) % n))
    extra = ("Depends: " + ", ".join(deps) + "\n") if deps else ""
    if i == 1:
        extra += "Provides: bench-virtual\n"
    b = os.path.join(root, "build", name)
    os.makedirs(os.path.join(b, "DEBIAN"))
    os.makedirs(os.path.join(b, "usr/share", name))
    r = random.Random(i)
    with open(os.path.join(b, "usr/share", name, "data"), "wb") as f:
        f.write(r.randbytes(r.randint(4096, 131072)))
    control = ("Package: %s\nVersion: 1.0-%d\nArchitecture: amd64\nMaintainer: bench <bench@ferry.invalid>\n%s"
               "Description: benchmark package %d\n generated for bench/apt.sh\n" % (name, i % 5 + 1, extra, i))
    with open(os.path.join(b, "DEBIAN/control"), "w") as f:
        f.write(control)
    rel = "pool/main/b/%s/%s_1.0-%d_amd64.deb" % (name, name, i % 5 + 1)
    deb = os.path.join(root, rel)
    os.makedirs(os.path.dirname(deb), exist_ok=True)
    subprocess.run(["dpkg-deb", "-Zgzip", "--root-owner-group", "--build", b, deb], check=True,
                   stdout=subprocess.DEVNULL)
    data = open(deb, "rb").read()
    return control + "Section: misc\nFilename: %s\nSize: %d\nMD5sum: %s\nSHA256: %s\n" % (
        rel, len(data), hashlib.md5(data).hexdigest(), hashlib.sha256(data).hexdigest())
with ThreadPoolExecutor(os.cpu_count() or 2) as ex:
    paragraphs = list(ex.map(build, range(n)))
subprocess.run(["rm", "-rf", os.path.join(root, "build")], check=True)
plain = "\n".join(paragraphs).encode()
dists = os.path.join(root, "dists/bench")
os.makedirs(os.path.join(dists, "main/binary-amd64"))
files = {"main/binary-amd64/Packages": plain, "main/binary-amd64/Packages.gz": gzip.compress(plain),
         "main/binary-amd64/Packages.xz": lzma.compress(plain)}
for p, data in files.items():
    open(os.path.join(dists, p), "wb").write(data)
date = time.strftime("%a, %d %b %Y %H:%M:%S UTC", time.gmtime())
until = time.strftime("%a, %d %b %Y %H:%M:%S UTC", time.gmtime(time.time() + 7 * 86400))
rel = ("Origin: Bench\nLabel: Bench\nSuite: bench\nCodename: bench\nDate: %s\nValid-Until: %s\n"
       "Architectures: amd64\nComponents: main\nDescription: bench/apt.sh upstream\nMD5Sum:\n" % (date, until))
rel += "".join(" %s %d %s\n" % (hashlib.md5(d).hexdigest(), len(d), p) for p, d in files.items())
rel += "SHA256:\n" + "".join(" %s %d %s\n" % (hashlib.sha256(d).hexdigest(), len(d), p) for p, d in files.items())
open(os.path.join(dists, "Release"), "w").write(rel)
PY
gpg --batch --yes --local-user "upstream@ferry.invalid" --digest-algo SHA256 --clearsign \
  -o "$up/dists/bench/InRelease" "$up/dists/bench/Release"
gpg --batch --yes --local-user "upstream@ferry.invalid" --digest-algo SHA256 -abs \
  -o "$up/dists/bench/Release.gpg" "$up/dists/bench/Release"
debs=$(find "$up/pool" -name '*.deb' | wc -l)
deb_bytes=$(find "$up/pool" -name '*.deb' -printf '%s\n' | awk '{ s += $1 } END { print s }')

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$up" "$port" >"$work/http.log" 2>&1 &
http_pid=$!
for _ in $(seq 1 50); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/dists/bench/Release')" 2>/dev/null && break; sleep 0.2; done
url="http://127.0.0.1:$port/"

# measure NAME COMMAND...: runs it under /usr/bin/time, prints "NAME wall_seconds peak_kib cpu_seconds" (CPU: user +
# system, the figure that stays fair on a machine other work keeps busy)
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.$name" "$@" >"$work/out.$name" 2>"$work/err.$name" \
    || { echo "$name failed:" >&2; cat "$work/err.$name" "$work/out.$name" >&2; exit 1; }
  read -r secs kib user sys < "$work/time.$name"
  echo "$name $secs $kib $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
}

if [ "$launcher" = 1 ]; then
  # Each launcher's first run of export and of import makes that command's class data sharing archive: done here, on
  # one package (no dependencies) of the same upstream, so the measured runs use the archives as an operator's do.
  mkdir -p "$work/warm"
  "$here/ferry" keys generate --out "$work/warm/keys" --user-id "warm <warm@ferry.invalid>" >/dev/null
  "$here/ferry" keys trust "$work/warm/keys/signer.pub.asc" --trust-store "$work/warm/trust" >/dev/null
  for tool in ferry ${baseline[0]:+baseline}; do
    if [ "$tool" = ferry ]; then cmd=("${ferry[@]}"); else cmd=("${baseline[@]}"); fi
    rm -rf "$work/warm/$tool"; mkdir -p "$work/warm/$tool"
    rm -rf "$(dirname "${cmd[0]}")"/cli/target/cds/*-export-*.jsa "$(dirname "${cmd[0]}")"/cli/target/cds/*-import-*.jsa
    "${cmd[@]}" export --source apt --upstream "$url" --suite bench --component main --arch amd64 \
      --package bench-pkg$(printf '%05d' $((n - 1))) --upstream-keyring "$work/upstream.gpg" --channel warm \
      --state "$work/warm/$tool/state" --key "$work/warm/keys/signer.sec.asc" --out "$work/warm/$tool/bundle" --quiet >/dev/null
    "${cmd[@]}" import "$work/warm/$tool/bundle" --store "$work/warm/$tool/store" --trust-store "$work/warm/trust" --quiet >/dev/null
    ls "$(dirname "${cmd[0]}")"/cli/target/cds/*-export-*.jsa "$(dirname "${cmd[0]}")"/cli/target/cds/*-import-*.jsa >/dev/null \
      || { echo "$tool: the launcher made no class data sharing archive for export and import" >&2; exit 1; }
  done
  rm -rf "$work/warm"
  how="through the ./ferry launcher (its JVM settings; class data sharing archives made by a first run of each command, outside the measurements)"
else
  how="as java -jar (no launcher, no class data sharing archive)"
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
  "$(java -version 2>&1 | head -1), aptly $(aptly version | awk '{ print $3 }'); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "upstream: $debs packages, $deb_bytes bytes of .deb files; ferry runs $how"
: > "$work/results"
for rep in $(seq 1 "$reps"); do
  rm -rf "$work/ferry" "$work/aptly" "$work/baseline"
  mkdir -p "$work/ferry" "$work/aptly" "$work/baseline"
  "$here/ferry" keys generate --out "$work/ferry/keys" --user-id "bench <bench@ferry.invalid>" >/dev/null
  "$here/ferry" keys trust "$work/ferry/keys/signer.pub.asc" --trust-store "$work/ferry/trust" >/dev/null
  sync
  {
    measure ferry-export "${ferry[@]}" export --source apt --upstream "$url" --suite bench --component main \
      --arch amd64 --whole-component --upstream-keyring "$work/upstream.gpg" --channel bench \
      --state "$work/ferry/state" --key "$work/ferry/keys/signer.sec.asc" --out "$work/ferry/bundle" --quiet --json
    measure ferry-import "${ferry[@]}" import "$work/ferry/bundle" --store "$work/ferry/store" \
      --trust-store "$work/ferry/trust" --quiet
  } | tee -a "$work/results"
  if [ ${#baseline[@]} -gt 0 ]; then
    sync
    {
      measure baseline-export "${baseline[@]}" export --source apt --upstream "$url" --suite bench --component main \
        --arch amd64 --whole-component --upstream-keyring "$work/upstream.gpg" --channel bench \
        --state "$work/baseline/state" --key "$work/ferry/keys/signer.sec.asc" --out "$work/baseline/bundle" --quiet --json
      measure baseline-import "${baseline[@]}" import "$work/baseline/bundle" --store "$work/baseline/store" \
        --trust-store "$work/ferry/trust" --quiet
    } | tee -a "$work/results"
  fi
  printf '{"rootDir": "%s", "architectures": ["amd64"], "downloadConcurrency": 4, "gpgProvider": "gpg"}\n' \
    "$work/aptly" > "$work/aptly.conf"
  aptly_cmd=(aptly -config="$work/aptly.conf")
  sync
  {
    measure aptly-mirror-create "${aptly_cmd[@]}" mirror create -keyring="$work/upstream.gpg" bench "$url" bench main
    measure aptly-mirror-update "${aptly_cmd[@]}" mirror update -keyring="$work/upstream.gpg" bench
    measure aptly-snapshot-create "${aptly_cmd[@]}" snapshot create bench-1 from mirror bench
    measure aptly-publish "${aptly_cmd[@]}" publish snapshot -batch -gpg-key="$aptly_key" -distribution=bench bench-1
  } | tee -a "$work/results"
  # both published the same packages
  ferry_pkgs=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["files"]["count"])' "$work/out.ferry-export")
  aptly_pkgs=$(find "$work/aptly/public/pool" -name '*.deb' | wc -l)
  echo "rep $rep: ferry carried $ferry_pkgs .deb files, aptly published $aptly_pkgs" | tee -a "$work/results"
done
echo
echo "| tool | wall time (s, sum of its steps, mean per repetition) | CPU time (s, user + system) | peak RSS (MiB, largest step) |"
echo "|---|---|---|---|"
for tool in ferry ${baseline[0]:+baseline} aptly; do
  awk -v tool="$tool" -v reps="$reps" '$1 ~ "^" tool "-" { t += $2; c += $4; if ($3 > m) m = $3 }
    END { printf "| %s | %.2f | %.2f | %.0f |\n", tool, t / reps, c / reps, m / 1024 }' "$work/results"
done
echo
awk '$1 ~ /^(ferry|baseline|aptly)-/ { t[$1] += $2; c[$1] += $4; n[$1]++ }
  END { for (k in t) printf "%s %.2f s wall, %.2f s CPU (mean of %d)\n", k, t[k] / n[k], c[k] / n[k], n[k] }' \
  "$work/results" | sort
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg); heap $FERRY_JAVA_OPTS"
