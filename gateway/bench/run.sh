#!/usr/bin/env bash
# Gateway benchmark (issue 6, section 5): one run, on this machine, that reads one release
#   direct   checklist-service itself
#   nginx    through nginx (Debian's package) as a plain reverse-proxy baseline
#   gw-off   through the gateway with token validation SWITCHED OFF (benchmark-only setting, see below)
#   gw-on    through the gateway with token validation, as deployed
# at 1 connection and at 50 connections, after WARMUP seconds of load on each JVM, and prints requests/s, p50, p99,
# the CPU time per request of the proxy and of checklist-service, and the ratios the issue sets targets for.
#
# "gw-off" runs the gateway with liftoff.gateway.token.benchmark-only-skip-validation=true. THAT SETTING TURNS
# AUTHENTICATION OFF ENTIRELY. It exists only so that this script can measure what validation costs; it is off by
# default and must never be set anywhere else. The gateway logs an error line at start-up when it is on.
#
# No Keycloak needed: a throw-away RSA key and a token are made by io.liftoff.gateway.bench.BenchTokens (src/test),
# and both checklist-service and the gateway trust that key through liftoff.security.public-key-location.
#
# Usage: gateway/bench/run.sh            (from anywhere; installs wrk and nginx with apt-get when missing)
# Tunables (environment): WARMUP=120 WARMUP_1C=20 DURATION=10 ROUNDS=3 JVM_OPTS="-Xmx256m -XX:+UseSerialGC -Xss512k" (every JVM of the run;
#   the production sizing of infra/README.md for one or two cores, with the tiered compiler: the gateway's cost as
#   deployed. The launcher's laptop defaults, C1 only, are for a platform used at a human pace.)
#   GATEWAY_ARGS="--name=value ..." (extra settings of both gateways, to compare configurations)
#   GATEWAY_JVM_OPTS="..." (extra JVM options of both gateways, e.g. a profiler agent)
#   SERVICE_ARGS="--name=value ..." (extra settings of checklist-service, which every target reads from; e.g. Tomcat's
#     own 8 KB response buffer instead of the services' 128 KB: SERVICE_ARGS=--liftoff.http.response-buffer-size=8KB)
#   ALT_ARGS="--name=value ..." (a fifth target, gw-alt: a gateway with validation and these settings besides, warmed
#     and measured in the same rounds, to compare a configuration with gw-on within one run; e.g. the stock routing
#     filter: ALT_ARGS=--spring.cloud.gateway.server.webflux.global-filter.netty-routing.enabled=true)
#   BARE=1 (a sixth target, scg-bare: Spring Cloud Gateway as it ships, built from gateway/bench/bare-scg, with one
#     route to checklist-service and nothing else of Liftoff's: no security, filters, actuator or tracing. It tells
#     what the framework costs by itself, and so whether a target is within reach of any gateway built on it;
#     BARE_JVM_OPTS="..." adds JVM options to it alone, e.g. -Dreactor.netty.ioWorkerCount=1: one event loop, so that
#     its stock routing filter cannot hand a request from one loop to another, as Liftoff's LoopLocalRoutingFilter does)
#   DIRECT_PORT=28081 NGINX_PORT=28070 GW_ON_PORT=28080 GW_OFF_PORT=28090 GW_ALT_PORT=28091 BARE_PORT=28092 READ_PATH=<path>
#     (default: the release)
set -euo pipefail

# Two minutes per JVM by default (the issue asks for at least one): with four JVMs on two cores the C2 compiler was
# still at work after one, 35% of a gateway's CPU samples over a run with 40 s of warm-up. gw-on minus direct at
# 1 connection (p50/p99), two runs an hour apart: +0.74/+1.44 ms with 60 s, +0.58/+0.33 ms with 120 s.
WARMUP=${WARMUP:-120}
WARMUP_1C=${WARMUP_1C:-20}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
JVM_OPTS=${JVM_OPTS:--Xmx256m -XX:+UseSerialGC -Xss512k}
DIRECT_PORT=${DIRECT_PORT:-28081}
NGINX_PORT=${NGINX_PORT:-28070}
GW_ON_PORT=${GW_ON_PORT:-28080}
GW_OFF_PORT=${GW_OFF_PORT:-28090}
GW_ALT_PORT=${GW_ALT_PORT:-28091}
BARE_PORT=${BARE_PORT:-28092}
BARE=${BARE:-}
ISSUER=http://bench.invalid/realms/liftoff

BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
GATEWAY_DIR=$(dirname "$BENCH_DIR")
ROOT=$(dirname "$GATEWAY_DIR")
WORK=$(mktemp -d /tmp/liftoff-gateway-bench.XXXXXX)
PIDS=()
# The process of each target (for nginx its master; its workers are counted as its children).
declare -A PID_OF

cleanup() {
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  echo "Logs and configuration kept in $WORK"
}
trap cleanup EXIT

say() { printf '\n== %s\n' "$*"; }

need_package() {
  local command=$1 package=$2
  if ! command -v "$command" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$command" ]; then
    say "installing $package (apt-get)"
    if [ "$(id -u)" -eq 0 ]; then
      apt-get install -y -q "$package" >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q "$package" >/dev/null; }
    else
      sudo apt-get install -y -q "$package" >/dev/null || { sudo apt-get update -q >/dev/null && sudo apt-get install -y -q "$package" >/dev/null; }
    fi
  fi
}

wait_healthy() {
  local name=$1 url=$2
  for _ in $(seq 1 180); do
    if curl -fs "$url" >/dev/null 2>&1; then
      return 0
    fi
    sleep 1
  done
  echo "$name did not become healthy; see $WORK/$name.log" >&2
  exit 1
}

for port in "$DIRECT_PORT" "$NGINX_PORT" "$GW_ON_PORT" "$GW_OFF_PORT" ${ALT_ARGS:+"$GW_ALT_PORT"} ${BARE:+"$BARE_PORT"}; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is taken; free it or choose others (DIRECT_PORT, NGINX_PORT, GW_ON_PORT, GW_OFF_PORT, GW_ALT_PORT, BARE_PORT)" >&2
    exit 1
  fi
done

need_package wrk wrk
need_package nginx nginx
command -v curl >/dev/null || need_package curl curl
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

say "building the gateway and checklist-service jars when missing"
cd "$ROOT"
if ! ls checklist-service/target/checklist-service-*.jar >/dev/null 2>&1; then
  ./mvnw -B -q -ntp -pl checklist-service package -DskipTests
fi
./mvnw -B -q -ntp -pl gateway package -DskipTests
./mvnw -B -q -ntp -pl gateway dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORK/cp.txt" >/dev/null
# Copies, so that a rebuild in the tree during the run cannot pull a jar from under a running JVM.
cp "$(ls checklist-service/target/checklist-service-*.jar | grep -v original | head -1)" "$WORK/checklist-service.jar"
cp "$(ls gateway/target/gateway-*.jar | grep -v original | head -1)" "$WORK/gateway.jar"
CHECKLIST_JAR=$WORK/checklist-service.jar
if [ -n "$BARE" ]; then
  ./mvnw -B -q -ntp -f gateway/bench/bare-scg/pom.xml package -DskipTests
  cp gateway/bench/bare-scg/target/bench-bare-scg-*.jar "$WORK/bare-scg.jar"
fi
GATEWAY_JAR=$WORK/gateway.jar

say "minting a benchmark key and token"
TOKEN=$(java -cp "gateway/target/test-classes:$(cat "$WORK/cp.txt")" io.liftoff.gateway.bench.BenchTokens "$WORK" "$ISSUER")
KEY="file:$WORK/bench-jwt.pub.pem"

say "starting checklist-service on $DIRECT_PORT"
# shellcheck disable=SC2086
java $JVM_OPTS -jar "$CHECKLIST_JAR" --server.port="$DIRECT_PORT" \
  --liftoff.store.embedded.backend=memory --liftoff.data-dir="$WORK/data" \
  --liftoff.security.public-key-location="$KEY" --liftoff.security.issuer-uri="$ISSUER" \
  --liftoff.outbox.consumer-url=http://127.0.0.1:9/api/events --liftoff.signoff.url=http://127.0.0.1:9 \
  ${SERVICE_ARGS:-} >"$WORK/checklist.log" 2>&1 &
PIDS+=($!)
PID_OF[direct]=$!

start_gateway() {
  local name=$1 port=$2 skip=$3 extra=${4:-}
  # shellcheck disable=SC2086
  java $JVM_OPTS ${GATEWAY_JVM_OPTS:-} -jar "$GATEWAY_JAR" --server.port="$port" \
    --liftoff.gateway.services.checklist="http://127.0.0.1:$DIRECT_PORT" \
    --liftoff.security.public-key-location="$KEY" --liftoff.security.issuer-uri="$ISSUER" \
    --liftoff.gateway.rate-limit.user.replenish-rate=1000000 --liftoff.gateway.rate-limit.user.burst-capacity=1000000 \
    --liftoff.gateway.rate-limit.client.replenish-rate=1000000 --liftoff.gateway.rate-limit.client.burst-capacity=1000000 \
    --liftoff.gateway.token.benchmark-only-skip-validation="$skip" ${GATEWAY_ARGS:-} $extra \
    >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  PID_OF[$name]=$!
}
say "starting the gateway with validation on $GW_ON_PORT and without on $GW_OFF_PORT"
start_gateway gw-on "$GW_ON_PORT" false
start_gateway gw-off "$GW_OFF_PORT" true
if [ -n "${ALT_ARGS:-}" ]; then
  say "starting gw-alt (validation on, $ALT_ARGS) on $GW_ALT_PORT"
  start_gateway gw-alt "$GW_ALT_PORT" false "$ALT_ARGS"
fi

if [ -n "$BARE" ]; then
  say "starting scg-bare (Spring Cloud Gateway alone, one route) on $BARE_PORT"
  # shellcheck disable=SC2086
  java $JVM_OPTS ${BARE_JVM_OPTS:-} -jar "$WORK/bare-scg.jar" --server.port="$BARE_PORT" \
    --spring.cloud.gateway.server.webflux.routes[0].id=checklist \
    --spring.cloud.gateway.server.webflux.routes[0].uri="http://127.0.0.1:$DIRECT_PORT" \
    --spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/api/** \
    >"$WORK/scg-bare.log" 2>&1 &
  PIDS+=($!)
  PID_OF[scg-bare]=$!
fi

say "starting nginx on $NGINX_PORT"
mkdir -p "$WORK/nginx"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx/body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  upstream checklist { server 127.0.0.1:$DIRECT_PORT; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://checklist;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$remote_addr;
    }
  }
}
EOF
"$NGINX" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" >"$WORK/nginx.log" 2>&1 &
PIDS+=($!)
PID_OF[nginx]=$!

wait_healthy checklist "http://127.0.0.1:$DIRECT_PORT/actuator/health"
wait_healthy gw-on "http://127.0.0.1:$GW_ON_PORT/actuator/health"
wait_healthy gw-off "http://127.0.0.1:$GW_OFF_PORT/actuator/health"
[ -z "${ALT_ARGS:-}" ] || wait_healthy gw-alt "http://127.0.0.1:$GW_ALT_PORT/actuator/health"
# scg-bare has no actuator: it is up once it answers at all (404 for a path outside its route).
if [ -n "$BARE" ]; then
  for _ in $(seq 1 180); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$BARE_PORT/")" = 000 ] || break
    sleep 1
  done
fi

say "importing the fixture as a release"
LOCATION=$(curl -fs -D - -o /dev/null -X POST "http://127.0.0.1:$DIRECT_PORT/api/releases?product=toolboxai" \
  -H "Authorization: Bearer $TOKEN" -H "Content-Type: text/markdown" \
  --data-binary @"$BENCH_DIR/release-checklist-v1.1.0.md" | tr -d '\r' | awk 'tolower($1)=="location:" {print $2}')
RELEASE_PATH=${LOCATION#http*://*/}
RELEASE_PATH=/${RELEASE_PATH#/}
# READ_PATH reads something else than the imported release, e.g. READ_PATH='/api/releases?product=none' (a small
# answer) to tell what the gateway costs per request from what it costs per byte.
RELEASE_PATH=${READ_PATH:-$RELEASE_PATH}
echo "reading: $RELEASE_PATH ($(curl -fs "http://127.0.0.1:$DIRECT_PORT$RELEASE_PATH" -H "Authorization: Bearer $TOKEN" | wc -c) bytes)"

declare -A URLS=(
  [direct]="http://127.0.0.1:$DIRECT_PORT$RELEASE_PATH"
  [nginx]="http://127.0.0.1:$NGINX_PORT$RELEASE_PATH"
  [gw-off]="http://127.0.0.1:$GW_OFF_PORT$RELEASE_PATH"
  [gw-on]="http://127.0.0.1:$GW_ON_PORT$RELEASE_PATH"
  [gw-alt]="http://127.0.0.1:$GW_ALT_PORT$RELEASE_PATH"
  [scg-bare]="http://127.0.0.1:$BARE_PORT$RELEASE_PATH"
)
TARGETS=(direct nginx gw-off gw-on)
[ -z "${ALT_ARGS:-}" ] || TARGETS+=(gw-alt)
[ -z "$BARE" ] || TARGETS+=(scg-bare)
for target in "${TARGETS[@]}"; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "${URLS[$target]}" -H "Authorization: Bearer $TOKEN")
  [ "$status" = 200 ] || { echo "$target answered $status, not 200" >&2; exit 1; }
done
status=$(curl -s -o /dev/null -w '%{http_code}' "${URLS[gw-on]}")
[ "$status" = 401 ] || { echo "gw-on answered $status without a token, not 401" >&2; exit 1; }

# wrk prints latencies as 950.00us, 1.20ms or 1.05s; in milliseconds:
to_ms() { awk -v v="$1" 'BEGIN { if (v ~ /us$/) printf "%.3f", v / 1000; else if (v ~ /ms$/) printf "%.3f", v + 0; else if (v ~ /s$/) printf "%.3f", v * 1000; else printf "%s", v }'; }

run_wrk() {
  local target=$1 connections=$2 seconds=$3 threads=1
  [ "$connections" -gt 1 ] && threads=2
  wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -H "Authorization: Bearer $TOKEN" "${URLS[$target]}"
}

say "warming up each JVM with ${WARMUP}s of load (50 connections)"
for target in "${TARGETS[@]}"; do
  [ "$target" != nginx ] || continue
  echo "  $target"
  run_wrk "$target" 50 "$WARMUP" >"$WORK/warmup-$target.txt"
done
run_wrk nginx 50 10 >"$WORK/warmup-nginx.txt"
# Then WARMUP_1C seconds at one connection per target, not measured: right after the load at 50 connections the first
# round at one connection was still the slowest (in a quick two-JVM run on 2026-12-03, the gateway's p50 on a small
# answer went 5.6, 6.2, then 2.1 ms in three rounds, while the direct call stayed within 0.9 to 1.3 ms). Why was not
# established; the settling keeps it out of the measured rounds.
if [ "$WARMUP_1C" -gt 0 ]; then
  say "settling each target with ${WARMUP_1C}s at 1 connection"
  for target in "${TARGETS[@]}"; do
    run_wrk "$target" 1 "$WARMUP_1C" >"$WORK/settle-$target.txt"
  done
fi

# ROUNDS rounds, each measuring every target at 1 and then at 50 connections: the machine's speed drifts by tens of
# percent within minutes here (other tenants' load on the same cores), so each figure below is the median of the
# rounds, and each difference or ratio is the median of the ones measured within the same round, minutes apart at
# most, rather than one run of each target at whatever moment it came.
declare -A RPS P50 P99 CPU_PROXY CPU_SERVICE
# CPU time a target's process has used so far, in clock ticks (all its threads; for nginx its workers too). Taken
# around each measurement and divided by the requests served, it says what each request cost the proxy (the gateway's
# JVM, or nginx) and checklist-service, which is steadier than latency when other load shares the cores.
cpu_ticks() {
  local pids=$1 total=0 pid
  if [ "$1" = "${PID_OF[nginx]}" ]; then
    pids="$pids $(pgrep -P "$1" | xargs)"
  fi
  for pid in $pids; do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat")))
  done
  echo "$total"
}
TICK_US=$((1000000 / $(getconf CLK_TCK)))
per_request_us() { awk -v t="$1" -v n="$2" -v u="$TICK_US" 'BEGIN { if (n > 0) printf "%.0f", t * u / n; else print "-" }'; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
diff_ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.3f", a - b }'; }
D50="" D99="" R50="" A50="" A99="" AR="" B50="" B99="" BG50=""
for round in $(seq 1 "$ROUNDS"); do
  for connections in 1 50; do
    say "round $round of $ROUNDS: measuring at $connections connection(s), ${DURATION}s each"
    for target in "${TARGETS[@]}"; do
      out="$WORK/run-$target-$connections-$round.txt"
      proxy_before=$(cpu_ticks "${PID_OF[$target]}") service_before=$(cpu_ticks "${PID_OF[direct]}")
      run_wrk "$target" "$connections" "$DURATION" >"$out"
      proxy_ticks=$(( $(cpu_ticks "${PID_OF[$target]}") - proxy_before ))
      service_ticks=$(( $(cpu_ticks "${PID_OF[direct]}") - service_before ))
      if grep -q 'Non-2xx' "$out"; then
        echo "$target: $(grep 'Non-2xx' "$out") — the figures would be meaningless. One answer now:" >&2
        curl -s -i "${URLS[$target]}" -H "Authorization: Bearer $TOKEN" | head -c 600 >&2
        [ -f "$WORK/$target.log" ] && grep -E 'WARN|ERROR' "$WORK/$target.log" | tail -5 >&2
        exit 1
      fi
      rps=$(awk '/^Requests\/sec/ {print $2}' "$out")
      p50=$(to_ms "$(awk '$1=="50%" {print $2}' "$out")")
      p99=$(to_ms "$(awk '$1=="99%" {print $2}' "$out")")
      requests=$(awk '$2 == "requests" && $3 == "in" {print $1}' "$out")
      service_us=$(per_request_us "$service_ticks" "$requests")
      proxy_us=-
      [ "$target" = direct ] || proxy_us=$(per_request_us "$proxy_ticks" "$requests")
      RPS[$target-$connections]+=" $rps" P50[$target-$connections]+=" $p50" P99[$target-$connections]+=" $p99"
      CPU_PROXY[$target-$connections]+=" $proxy_us" CPU_SERVICE[$target-$connections]+=" $service_us"
      declare "round_${target//-/_}_${connections}=$rps $p50 $p99"
      printf '  %-7s %10s req/s   p50 %8s ms   p99 %8s ms   CPU per request: proxy %5s us, service %5s us\n' \
        "$target" "$rps" "$p50" "$p99" "$proxy_us" "$service_us"
    done
  done
  read -r _ on50 on99 <<<"$round_gw_on_1"
  read -r _ direct50 direct99 <<<"$round_direct_1"
  read -r on_rps _ <<<"$round_gw_on_50"
  read -r off_rps _ <<<"$round_gw_off_50"
  D50+=" $(diff_ms "$on50" "$direct50")" D99+=" $(diff_ms "$on99" "$direct99")" R50+=" $(ratio "$on_rps" "$off_rps")"
  echo "  round $round: 1c gw-on minus direct p50 $(diff_ms "$on50" "$direct50") ms, p99 $(diff_ms "$on99" "$direct99") ms;" \
    "50c gw-on/gw-off $(ratio "$on_rps" "$off_rps")"
  if [ -n "$BARE" ]; then
    read -r _ bare50 bare99 <<<"$round_scg_bare_1"
    B50+=" $(diff_ms "$bare50" "$direct50")" B99+=" $(diff_ms "$bare99" "$direct99")" BG50+=" $(diff_ms "$on50" "$bare50")"
    echo "  round $round: 1c scg-bare minus direct p50 $(diff_ms "$bare50" "$direct50") ms, p99 $(diff_ms "$bare99" "$direct99") ms;" \
      "gw-on minus scg-bare p50 $(diff_ms "$on50" "$bare50") ms"
  fi
  if [ -n "${ALT_ARGS:-}" ]; then
    read -r _ alt50 alt99 <<<"$round_gw_alt_1"
    read -r alt_rps _ <<<"$round_gw_alt_50"
    A50+=" $(diff_ms "$alt50" "$on50")" A99+=" $(diff_ms "$alt99" "$on99")" AR+=" $(ratio "$alt_rps" "$on_rps")"
    echo "  round $round: 1c gw-alt minus gw-on p50 $(diff_ms "$alt50" "$on50") ms, p99 $(diff_ms "$alt99" "$on99") ms;" \
      "50c gw-alt/gw-on $(ratio "$alt_rps" "$on_rps")"
  fi
done
med() { echo "$1" | median; }
for key in "${!RPS[@]}"; do
  RPS[$key]=$(med "${RPS[$key]}") P50[$key]=$(med "${P50[$key]}") P99[$key]=$(med "${P99[$key]}")
  CPU_SERVICE[$key]=$(med "${CPU_SERVICE[$key]}")
  CPU_PROXY[$key]=$(echo "${CPU_PROXY[$key]}" | grep -q '[0-9]' && med "${CPU_PROXY[$key]}" || echo -)
done

say "results ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ), warm-up ${WARMUP}s per JVM, median of $ROUNDS rounds of ${DURATION}s per run)"
[ -z "${GATEWAY_ARGS:-}" ] || echo "gateways run with: $GATEWAY_ARGS"
[ -z "${SERVICE_ARGS:-}" ] || echo "checklist-service runs with: $SERVICE_ARGS"
[ -z "${BARE_JVM_OPTS:-}" ] || echo "scg-bare runs with: $BARE_JVM_OPTS"
printf '%-8s | %12s %10s %10s | %12s %10s %10s\n' target "1c req/s" "1c p50 ms" "1c p99 ms" "50c req/s" "50c p50 ms" "50c p99 ms"
for target in "${TARGETS[@]}"; do
  printf '%-8s | %12s %10s %10s | %12s %10s %10s\n' "$target" "${RPS[$target-1]}" "${P50[$target-1]}" "${P99[$target-1]}" \
    "${RPS[$target-50]}" "${P50[$target-50]}" "${P99[$target-50]}"
done
echo
echo "CPU per request in microseconds (median of the rounds; proxy = the gateway's JVM or nginx's workers):"
printf '%-8s | %12s %12s | %12s %12s\n' target "1c proxy" "1c service" "50c proxy" "50c service"
for target in "${TARGETS[@]}"; do
  printf '%-8s | %12s %12s | %12s %12s\n' "$target" "${CPU_PROXY[$target-1]}" "${CPU_SERVICE[$target-1]}" \
    "${CPU_PROXY[$target-50]}" "${CPU_SERVICE[$target-50]}"
done
echo
echo "targets of issue 6 section 5 (median of the rounds' own figures:$D50 |$D99 |$R50):"
echo "  1 connection, gw-on minus direct:   p50 $(med "$D50" | xargs printf '%+.3f') ms (target <= +0.300)," \
  "p99 $(med "$D99" | xargs printf '%+.3f') ms (target <= +1.000)"
echo "  50 connections, gw-on / gw-off:     $(med "$R50" | xargs printf '%.2f') of the throughput (target >= 0.75)"
if [ -n "${ALT_ARGS:-}" ]; then
  echo "gw-alt ($ALT_ARGS) against gw-on (median of the rounds' own figures:$A50 |$A99 |$AR):"
  echo "  1 connection, gw-alt minus gw-on:   p50 $(med "$A50" | xargs printf '%+.3f') ms," \
    "p99 $(med "$A99" | xargs printf '%+.3f') ms"
  echo "  50 connections, gw-alt / gw-on:     $(med "$AR" | xargs printf '%.2f') of the throughput"
fi
if [ -n "$BARE" ]; then
  echo "scg-bare, Spring Cloud Gateway alone with one route (median of the rounds' own figures:$B50 |$B99 |$BG50):"
  echo "  1 connection, scg-bare minus direct: p50 $(med "$B50" | xargs printf '%+.3f') ms," \
    "p99 $(med "$B99" | xargs printf '%+.3f') ms (the framework's own floor against the targets above)"
  echo "  1 connection, gw-on minus scg-bare:  p50 $(med "$BG50" | xargs printf '%+.3f') ms (what Liftoff's gateway adds to it, or saves)"
fi
echo "other ratios (requests/s):"
for connections in 1 50; do
  echo "  ${connections}c: gw-on/direct $(ratio "${RPS[gw-on-$connections]}" "${RPS[direct-$connections]}")," \
    "gw-off/direct $(ratio "${RPS[gw-off-$connections]}" "${RPS[direct-$connections]}")," \
    "nginx/direct $(ratio "${RPS[nginx-$connections]}" "${RPS[direct-$connections]}")," \
    "gw-on/nginx $(ratio "${RPS[gw-on-$connections]}" "${RPS[nginx-$connections]}")," \
    "gw-on/gw-off $(ratio "${RPS[gw-on-$connections]}" "${RPS[gw-off-$connections]}")"
done
