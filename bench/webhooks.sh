#!/usr/bin/env bash
# Upload flows/s with webhooks off and on, and delivery latency p50/p99 (docs/BENCHMARKS.md, "Webhooks").
#   bench/webhooks.sh            8 clients, 20 s per run
#   BENCH_JAVA_OPTS="-Dfreight.bench.clients=16 -Dfreight.bench.seconds=30" bench/webhooks.sh
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -o -Pbench,client-tests package -DskipTests -Dskip.npm
java -Djava.util.logging.manager=org.jboss.logmanager.LogManager ${BENCH_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.freight.bench.WebhookBench
