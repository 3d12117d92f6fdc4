#!/usr/bin/env bash
# Reproduces docs/PERFORMANCE.md: the bench command and the JMH suite, unpinned and pinned to
# CPU 0 (taskset -c 0), each output saved next to this script, and the chart of the unpinned bench
# run (bench.svg). Run from the repository root
# after `mvn -B -q package -DskipTests`. SECONDS_PER_CASE (default 3) sets the bench's --seconds;
# JMH_ARGS, when set, replaces the pom's JMH options.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=docs/perf
seconds=${SECONDS_PER_CASE:-3}
jar=target/jivykis-0.1.0-SNAPSHOT.jar
jmh=(-B -o -Pjmh -DskipTests)
if [ -n "${JMH_ARGS:-}" ]; then jmh+=("-Djmh.args=$JMH_ARGS"); fi

machine() {
  echo "# $(date -u +%FT%TZ) $(uname -r) $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
  echo "# java: $(java -version 2>&1 | head -1); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

{ machine; java -jar "$jar" bench --seconds "$seconds" --native-dir target/native --svg "$out/bench.svg"; } \
  | tee "$out/bench-unpinned.txt"
{ machine; taskset -c 0 java -jar "$jar" bench --seconds "$seconds" --native-dir target/native; } \
  | tee "$out/bench-pinned.txt"
# JMH prints its table after "Benchmark"; only that part is kept.
machine > "$out/jmh-unpinned.txt"
mvn "${jmh[@]}" verify 2>&1 | sed -n '/^Benchmark /,/^\[INFO\]/p' | tee -a "$out/jmh-unpinned.txt"
machine > "$out/jmh-pinned.txt"
taskset -c 0 mvn "${jmh[@]}" verify 2>&1 | sed -n '/^Benchmark /,/^\[INFO\]/p' \
  | tee -a "$out/jmh-pinned.txt"
