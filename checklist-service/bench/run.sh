#!/usr/bin/env bash
# Benchmark of checklist-service on its embedded store (issue "Foundation and a complete checklist-service", §7).
# Starts the service (H2 file backend in a temporary folder, the test token key), waits for it, runs the load driver
# and stops the service. Usage: checklist-service/bench/run.sh [imports] [clients] [rate] [seconds]
# Environment: BENCH_WARMUP (seconds of update load before measuring, default 60), BENCH_JAVA_OPTS, BENCH_SERVICE_ARGS.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PORT=${BENCH_PORT:-18081}
SINK_PORT=${BENCH_SINK_PORT:-18094}
WORK=$(mktemp -d)
trap 'kill "${SERVICE_PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

if ! ls checklist-service/target/checklist-service-*.jar >/dev/null 2>&1 || [ ! -d checklist-service/target/test-classes ]; then
  echo "Building checklist-service..."
  ./mvnw -B -q -ntp -pl common,checklist-service -am install -DskipTests
  ./mvnw -B -q -ntp -pl checklist-service test-compile
fi
./mvnw -B -q -ntp -pl checklist-service dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=test >/dev/null

JAR=$(ls checklist-service/target/checklist-service-*.jar | head -1)
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms32m -Xmx128m -XX:+UseSerialGC -Xss512k -XX:TieredStopAtLevel=1}
echo "Starting checklist-service on :$PORT (embedded H2 store in $WORK/data, $JAVA_OPTS, as the launcher)"
java $JAVA_OPTS -jar "$JAR" --server.port="$PORT" \
  --liftoff.data-dir="$WORK/data" \
  --liftoff.security.public-key-location="file:$ROOT/common/src/test/resources/liftoff-test-jwt.pub.pem" \
  --liftoff.security.issuer-uri=https://keycloak.test/realms/liftoff \
  --liftoff.outbox.consumer-url="http://127.0.0.1:$SINK_PORT/api/events" \
  --logging.level.root=WARN ${BENCH_SERVICE_ARGS:-} > "$WORK/service.log" 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 60); do
  curl -fs "http://127.0.0.1:$PORT/actuator/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -fs "http://127.0.0.1:$PORT/actuator/health" >/dev/null || { echo "checklist-service did not start; log:"; tail -50 "$WORK/service.log"; exit 1; }

java -Dsink.port="$SINK_PORT" -Dbench.warmup="${BENCH_WARMUP:-60}" -cp "checklist-service/target/test-classes:checklist-service/target/classes:$(cat "$WORK/cp.txt")" \
  io.liftoff.checklist.bench.ChecklistBenchmark "http://127.0.0.1:$PORT" "${1:-200}" "${2:-6}" "${3:-300}" "${4:-30}"
echo "service RSS after the run: $(ps -o rss= -p "$SERVICE_PID" | awk '{printf "%.0f MB", $1/1024}')"
