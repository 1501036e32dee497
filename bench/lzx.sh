#!/usr/bin/env bash
# LZX cabinet writer (XmlUpdateBlobCompressed): cabinet sizes against the real server's cabinets for the same
# recorded documents, and encode speed in MB/s of UTF-16 input (10^6 bytes/s), one JVM, after a warm-up, for the
# nine recorded documents (one cabinet each, as GetUpdateData makes them) and for one 3 Mi-character document.
# Every cabinet measured is first decoded and compared. Builds the wsus module's test classes (offline) first.
#
#   bench/lzx.sh [SECONDS_PER_MEASUREMENT]      e.g. bench/lzx.sh 20
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-20}"
cd "$here"
cp_file="$(mktemp "${TMPDIR:-/tmp}/ferry-lzx-cp.XXXXXX")"
trap 'rm -f "$cp_file"' EXIT
./mvnw -B -q -o -pl wsus -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >&2
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')," \
  "$(java -version 2>&1 | head -1); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -Xmx512m -cp "wsus/target/test-classes:wsus/target/classes:$(cat "$cp_file")" \
  -Dlogback.configurationFile=/dev/null ferry.wsus.cab.LzxBench "$seconds" 2>/dev/null
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
