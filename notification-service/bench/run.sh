#!/usr/bin/env bash
# Event intake throughput and intake-to-webhook-receipt latency (issue 5 §6).
# Usage: notification-service/bench/run.sh [-Dbench.events=1000 -Dbench.rounds=5 -Dbench.clients=32 -Dbench.warmup=180]
#        [-Dbench.modes=slow,down] [-Dbench.client=jdk]  (the JDK HttpClient instead of bare keep-alive sockets;
#                                                  alternate: one, then the other, round by round)
#        [-Dbench.client=nio -Dbench.clients=1000]  (1,000 keep-alive connections driven by one thread, one request
#                                                  in flight on each: with -Dbench.batch=1, 1,000 single events in flight)
#        [-Dbench.batch=50]  (events per request to POST /api/events/batch, default 50 as the platform's services send
#                             them; -Dbench.batch=1 posts each event on its own to POST /api/events)
#        [-Dbench.args="--liftoff.store.embedded.commit-buffer=64MB"]  (more arguments for the service, to measure a
#                                                  setting; each round also prints what the embedded store wrote)
#        [-Dbench.compare="--server.tomcat.threads.max=8"]  (a second service with these settings beside the first;
#                                                  the rounds alternate between them: A as configured, B with them)
#        [-Dbench.keep-store=true]  (keep each mode's store folder; by default it is deleted after the mode)
#        [-Dbench.modes=floor]  (the same clients and events against a bare endpoint: Tomcat, Spring MVC and Jackson
#                                only, nothing stored or delivered; the most any intake on this stack accepts here)
set -euo pipefail
cd "$(dirname "$0")/../.."
# The service's module is tested alone below, so the shared module it depends on must be in the local repository
# (on a fresh clone it is not, and the run stopped at dependency resolution).
./mvnw -B -q -ntp -pl common -am install -DskipTests
./mvnw -B -q -ntp -pl notification-service test -Dtest=DeliveryBenchmark -Dbench.excluded=none "$@"
grep -E '^(==|warm-up|round| +CPU ms| +thread switches| +store:| +machine:|service arguments|comparing|the store is kept|chart)' \
  notification-service/target/surefire-reports/io.liftoff.notification.bench.DeliveryBenchmark-output.txt
