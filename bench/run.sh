#!/usr/bin/env bash
# Runs the benchmark suite (docs/BENCHMARKS.md): builds the app and the benchmarks (Maven profile "bench"),
# then one JVM starts the embedded storage and the packaged app and measures everything.
#   bench/run.sh          full run (a few minutes, 1 GiB file), publishes to docs/BENCHMARKS.md
#   bench/run.sh --smoke  CI form (64 MiB file, one run per point), results only under target/bench
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=false
for arg in "$@"; do [ "$arg" = "--smoke" ] && smoke=true; done

# The client library is one of the measured clients: install it, then build with its profile.
./mvnw -B -q -f client/pom.xml install -DskipTests
./mvnw -B -q -Pbench,client-tests package -DskipTests

# The Python aws CLI; pyenv's shim on the development machines.
aws_cli=${AWS_CLI:-$(command -v aws || echo /root/.pyenv/shims/aws)}
java -Xmx2g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.freight.bench.BenchSuite --aws "$aws_cli" --out target/bench "$@"

if [ "$smoke" = false ]; then
  mkdir -p docs/benchmarks
  cp target/bench/throughput.png docs/benchmarks/throughput.png
  # Generated tables, then the hand-written analysis (profile findings, why a target is or is not met).
  cat target/bench/BENCHMARKS.md bench/analysis.md > docs/BENCHMARKS.md
  echo "Published docs/BENCHMARKS.md and docs/benchmarks/throughput.png"
fi
