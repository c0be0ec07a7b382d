#!/usr/bin/env bash
# Issue 28's load test on AWS's limits (docs/BENCHMARKS.md "Whole flows on AWS's DynamoDB limits"): packages the app
# and the benchmarks (profile "bench"), then LimitsLoadBench runs the packaged app against Freight's DynamoDB engine
# with AWS's limits divided by F (default 100) and transaction conflicts on, open-loop whole upload flows at rising
# rates until the first 503: one owner (auth on), auth off, 2,000 owners. A few minutes; prints the figures and
# writes them to target/bench/limits/limits.txt. Not a test: nothing is asserted.
#   bench/limits.sh [F] [seconds per rate step, default 6]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -o -f dynamodb/pom.xml install -DskipTests -Dskip.npm
./mvnw -B -q -o -f client/pom.xml install -DskipTests
./mvnw -B -q -o -Pbench,client-tests package -DskipTests
java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.freight.bench.LimitsLoadBench target/bench/limits "${1:-100}" "${2:-6}"
