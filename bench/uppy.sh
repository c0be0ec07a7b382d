#!/usr/bin/env bash
# Uppy and the JS package (docs/BENCHMARKS.md, "Uppy and the JS package"): one file uploaded in Chromium by Freight's
# page, @freight/client in a plain page, the @freight/uppy plugin in Uppy 6, unchanged Uppy 5 and 6 through Freight's
# Companion routes, and Uppy 5 and 6 with real Companion (@uppy/companion 6.2.2, MIT, installed under target/), on the
# same embedded storage, alternating rounds (each round starts one way further on). Prints seconds per upload, MiB/s,
# parts and parts in flight per way, when the first and last PUTs ran, and the CPU seconds of every process by role
# (Chromium's processes, the renderer's hashing workers apart; the storage: S3Proxy and the gateway; the service;
# Companion), and what SHA-256 and MD5 of the file cost one core in the storage's JVM.
#   bench/uppy.sh                 1 GiB, 2 rounds
#   bench/uppy.sh 64 1            64 MiB, 1 round (a try)
#   NO_COMPANION=1 bench/uppy.sh  without real Companion
#   BENCH_JAVA_OPTS=-Dfreight.bench.ways=plugin6,companion5 bench/uppy.sh   some ways only: page, package, plugin6,
#       plugin5, freight-companion5, freight-companion6, companion5, companion6, companion5-default (Uppy's 5 MiB
#       parts), companion6-default; the default is all but plugin5 and companion6-default
#   BENCH_JAVA_OPTS=-Dfreight.bench.pin=true bench/uppy.sh   the servers (storage, service, Companion) on core 0 and
#       Chromium on core 1, as if browser and storage had a machine each
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-1024}
rounds=${2:-2}
./mvnw -B -q -o -Pbench,client-tests package -DskipTests -Dskip.npm
(cd src/test/uppy && [ -d node_modules ] || npm ci --no-audit --no-fund)
companion=""
if [ -z "${NO_COMPANION:-}" ]; then
  mkdir -p target/companion
  [ -x target/companion/node_modules/.bin/companion ] || \
    (cd target/companion && npm install --no-audit --no-fund --no-save @uppy/companion@6.2.2 >/dev/null)
  companion=$(pwd)/target/companion/node_modules/.bin/companion
fi
java -Xmx2g ${BENCH_JAVA_OPTS:-} -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -Dfreight.bench.mib="$mib" -Dfreight.bench.rounds="$rounds" -Dfreight.bench.companion="$companion" \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" dev.freight.bench.UppyBench
