#!/usr/bin/env sh
# signoff-service log benchmark on the embedded store (issue 3 section 6).
# Usage: signoff-service/bench/run.sh [largeSize]   (default 1000000; needs a few GB of heap)
# BENCH_BACKEND=h2 runs it on the H2 file store the platform uses (default: the in-memory backend).
set -eu
cd "$(dirname "$0")/../.."
root=$(pwd)
./mvnw -B -q -ntp -pl signoff-service test-compile dependency:build-classpath \
  -Dmdep.outputFile="$root/signoff-service/target/bench.classpath" -Dmdep.includeScope=test
cp="signoff-service/target/test-classes:signoff-service/target/classes:$(cat signoff-service/target/bench.classpath)"
exec java ${BENCH_JAVA_OPTS:--Xmx6g -XX:+UseParallelGC} -Dbench.backend="${BENCH_BACKEND:-memory}" -cp "$cp" io.liftoff.signoff.bench.LogBenchmark "$@"
