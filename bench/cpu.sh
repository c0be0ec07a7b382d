#!/usr/bin/env bash
# Service CPU per upload (init + complete of a plain 64-part upload, warm) by thread group, for the shipped JIT form
# and alternatives, beside each form's start-up (issue 28; docs/BENCHMARKS.md "CPU per upload"). Builds the shipped
# form (profile "aot": aot-jar, JDK 25 AOT cache, jvm.args) with the benchmarks (profile "bench"), then
# dev.freight.bench.CpuBench starts the storage and each form in turn. Results: target/bench/CPU.md (by hand into the
# page). Arguments go to CpuBench, e.g.
#   bench/cpu.sh                                  shipped C1-only form against C1+C2, 20 measured flows each
#   bench/cpu.sh --forms c1,tiered,c1-1 --rounds 2 --flows 30
#   bench/cpu.sh --forms c1 --jfr 200             then a 1-ms JFR profile of 200 more flows:
#                                                 java bench/JfrTop.java target/bench/cpu-profile-c1.jfr executor-thread
# SKIP_BUILD=1 reuses target/quarkus-app and target/bench-classpath.txt. AOT_JAVA_HOME: the JDK 25+ that trains and runs
# the cache (default: Temurin 25 in the machines' JVM directory).
set -euo pipefail
cd "$(dirname "$0")/.."

aot_java_home=${AOT_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -o -B -q -Pbench,client-tests,aot package -DskipTests -Daot.java.home="$aot_java_home"
fi
uptime
java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  dev.freight.bench.CpuBench --jdk25 "$aot_java_home" --out target/bench "$@"
uptime
