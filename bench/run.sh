#!/usr/bin/env bash
# Runs the benchmark suite (docs/BENCHMARKS.md): builds the app and the benchmarks (Maven profile "bench"),
# then one JVM starts the embedded storage and the packaged app and measures everything.
#   bench/run.sh          full run (a few minutes, 1 GiB file), publishes to docs/BENCHMARKS.md
#   bench/run.sh --smoke  CI form (64 MiB file, one run per point), results only under target/bench
#   bench/run.sh --page   only the browser app against aws s3 cp and the script flow (1 GiB, 3 runs), to
#                         target/bench/PAGE.md and section 6 of docs/BENCHMARKS.md; with --smoke, 64 MiB, one
#                         run, target/bench only
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=false
page_only=false
for arg in "$@"; do
  [ "$arg" = "--smoke" ] && smoke=true
  [ "$arg" = "--page" ] && page_only=true
done

./mvnw -B -q -Pbench package -DskipTests

# Debian's AWS CLI v2 (what a user of this machine runs), else whatever aws is on PATH.
aws_cli=${AWS_CLI:-$( [ -x /usr/bin/aws ] && echo /usr/bin/aws || command -v aws || echo /root/.pyenv/shims/aws)}
java -Xmx2g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.freight.bench.BenchSuite --aws "$aws_cli" --out target/bench "$@"

if [ "$smoke" = false ] && [ "$page_only" = true ]; then
  # Only section 6 is new: replace it in docs/BENCHMARKS.md (or put it before the targets), keep the other
  # generated sections of the last full run, then the hand-written analysis as it is now.
  awk -v section=target/bench/PAGE.md '
    function insert(  line) { while ((getline line < section) > 0) print line; inserted = 1 }
    /^## How the suite measures/ { exit }
    /<!-- page section: begin -->/ { insert(); skipping = 1; next }
    /<!-- page section: end -->/ { skipping = 0; next }
    !inserted && /^## Targets/ { insert() }
    !skipping { print }
  ' docs/BENCHMARKS.md > target/bench/BENCHMARKS-with-page.md
  cat target/bench/BENCHMARKS-with-page.md bench/analysis.md > docs/BENCHMARKS.md
  echo "Published section 6 of docs/BENCHMARKS.md"
fi

if [ "$smoke" = false ] && [ "$page_only" = false ]; then
  mkdir -p docs/benchmarks
  cp target/bench/throughput.png docs/benchmarks/throughput.png
  # Generated tables, then the hand-written analysis (profile findings, why a target is or is not met).
  cat target/bench/BENCHMARKS.md bench/analysis.md > docs/BENCHMARKS.md
  echo "Published docs/BENCHMARKS.md and docs/benchmarks/throughput.png"
fi
