#!/usr/bin/env bash
# Runs the benchmark suite (docs/BENCHMARKS.md): builds the app and the benchmarks (Maven profile "bench") twice,
# as the plain jar (`./mvnw package`) and as the shipped fast-start form (profile "aot": aot-jar plus the JDK 25 AOT
# cache), then one JVM starts the embedded storage and the packaged app and measures everything.
# AOT_JAVA_HOME: the JDK 25+ that trains and runs the cache (default: Temurin 25 in the machines' JVM directory).
#   bench/run.sh          full run (a few minutes, 1 GiB file), publishes to docs/BENCHMARKS.md
#   bench/run.sh --smoke  CI form (64 MiB file, one run per point), results only under target/bench
#   bench/run.sh --startup-only  section 5 (start-up and memory) alone, put into the published page in place
#   bench/run.sh --page   only the browser app and the browser floors against aws s3 cp and the script flow (1 GiB, 3 runs), to
#                         target/bench/PAGE.md and section 7 of docs/BENCHMARKS.md; with --smoke, 64 MiB, one
#                         run, target/bench only
#   bench/run.sh --uploads-only  section 2's 1 GiB Freight flows after the warm-up, each logged (service CPU by
#                         thread against storage CPU), nothing published; BENCH_JAVA_OPTS takes
#                         -Dfreight.bench.app-form=N (section 5's launch form N, default the shipped one) and
#                         -Dfreight.bench.upload-runs=N; BENCH_APP_OPTIONS="-XX:... -Xlog:..." the app's extra JVM options
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=false
page_only=false
startup_only=false
uploads_only=false
for arg in "$@"; do
  [ "$arg" = "--smoke" ] && smoke=true
  [ "$arg" = "--page" ] && page_only=true
  [ "$arg" = "--startup-only" ] && startup_only=true
  [ "$arg" = "--uploads-only" ] && uploads_only=true
done

aot_java_home=${AOT_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
# The client library is one of the measured clients: install it, then build with its profile.
./mvnw -B -q -f client/pom.xml install -DskipTests
./mvnw -B -q -Pbench,client-tests package -DskipTests
# Kept aside for the side-by-side start-up figures and the other sections (same app, default layout).
rm -rf target/bench-plain-app
cp -r target/quarkus-app target/bench-plain-app
./mvnw -B -q -Pbench,client-tests,aot package -DskipTests -Daot.java.home="$aot_java_home"

# Debian's AWS CLI v2 (what a user of this machine runs), else whatever aws is on PATH.
aws_cli=${AWS_CLI:-$( [ -x /usr/bin/aws ] && echo /usr/bin/aws || command -v aws || echo /root/.pyenv/shims/aws)}
java -Xmx2g ${BENCH_JAVA_OPTS:-} -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.freight.bench.BenchSuite --aws "$aws_cli" --jdk25 "$aot_java_home" --out target/bench "$@"

if [ "$uploads_only" = true ]; then
  exit 0  # an experiment: its figures are in the log, nothing is published
fi
if [ "$smoke" = false ] && [ "$page_only" = true ]; then
  # Only section 7 is new: replace it in docs/BENCHMARKS.md (or put it before the targets), keep the other
  # generated sections of the last full run.
  awk -v section=target/bench/PAGE.md '
    function insert(  line) { while ((getline line < section) > 0) print line; inserted = 1 }
    /<!-- page section: begin -->/ { insert(); skipping = 1; next }
    /<!-- page section: end -->/ { skipping = 0; next }
    !inserted && /^## Targets/ { insert() }
    !skipping { print }
  ' docs/BENCHMARKS.md > target/bench/BENCHMARKS-with-page.md
  cp target/bench/BENCHMARKS-with-page.md docs/BENCHMARKS.md
  echo "Published section 7 of docs/BENCHMARKS.md"
fi

if [ "$smoke" = false ] && [ "$startup_only" = true ]; then
  # The published page's other sections stay as they are; section 5 and its target row are replaced.
  awk -v section=target/bench/STARTUP.md -v row=target/bench/STARTUP-TARGET.md '
    /^## 5\. / { while ((getline line < section) > 0) print line; skip = 1; next }
    skip && /^(## |<!-- )/ { skip = 0 }
    skip { next }
    /^\| 5\. / { while ((getline line < row) > 0) if (line != "") print line; next }
    { print }' docs/BENCHMARKS.md > target/bench/generated.md
  cp target/bench/generated.md docs/BENCHMARKS.md
  echo "Published section 5 of docs/BENCHMARKS.md"
elif [ "$smoke" = false ] && [ "$page_only" = false ]; then
  mkdir -p docs/benchmarks
  cp target/bench/throughput.png docs/benchmarks/throughput.png
  # Generated only: the decisions the figures led to are kept in bench/analysis.md, not copied here.
  cp target/bench/BENCHMARKS.md docs/BENCHMARKS.md
  echo "Published docs/BENCHMARKS.md and docs/benchmarks/throughput.png"
fi
