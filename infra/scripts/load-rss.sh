#!/usr/bin/env bash
# One minute of load on every running component of the local platform (infra/liftoff up), then each JVM's RSS.
# The design's budget: each Spring service under 256 MB RSS after this, with the launcher's default JVM options.
#
#   infra/scripts/load-rss.sh [seconds]      (needs wrk: apt-get install wrk)
set -euo pipefail
INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIFTOFF_HOME="${LIFTOFF_HOME:-$(cd "$INFRA_DIR/.." && pwd)/.liftoff}"
DURATION="${1:-60}"
command -v wrk >/dev/null 2>&1 || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
TOKEN="$("$INFRA_DIR/bin/liftoff-login" --demo ada --acr pwd)"
# name port path: a read each service answers for the auditor (any status still runs the whole request path).
TARGETS=("gateway 8080 /api/releases" "checklist-service 8081 /api/releases" "signoff-service 8082 /api/signoffs"
         "monitoring-service 8083 /actuator/health" "notification-service 8084 /api/notifications")
echo "Load: ${DURATION}s, 1 thread x 8 connections per component, all at once"
pids=()
for target in "${TARGETS[@]}"; do
  read -r name port path <<< "$target"
  [[ -f "$LIFTOFF_HOME/run/$name.pid" ]] || { echo "  $name: not running, skipped"; continue; }
  wrk -t1 -c8 -d"${DURATION}s" -H "Authorization: Bearer $TOKEN" "http://localhost:$port$path" \
    > "$LIFTOFF_HOME/logs/load-$name.txt" 2>&1 &
  pids+=($!)
done
wait "${pids[@]}"
printf '%-22s %10s %10s %s\n' COMPONENT REQ/S RSS_MB STATUS
for target in "${TARGETS[@]}" "keycloak 8180 -"; do
  read -r name port path <<< "$target"
  pid_file="$LIFTOFF_HOME/run/$name.pid"
  [[ -f "$pid_file" ]] || continue
  pid="$(cat "$pid_file")"
  if [[ "$name" == keycloak ]]; then  # kc.sh runs Keycloak's JVM as its child (or execs it)
    child="$(ps -o pid= --ppid "$pid" 2>/dev/null | head -1 | tr -d ' ' || true)"
    pid="${child:-$pid}"
  fi
  rss_kb="$(ps -o rss= -p "$pid" 2>/dev/null | tr -d ' ' || true)"
  [[ -n "$rss_kb" ]] || { printf '%-22s %10s %10s %s\n' "$name" - - "not running"; continue; }
  rate="$(awk '/Requests\/sec/ {print $2}' "$LIFTOFF_HOME/logs/load-$name.txt" 2>/dev/null || true)"
  non2xx="$(awk '/Non-2xx/ {print $NF " non-2xx"}' "$LIFTOFF_HOME/logs/load-$name.txt" 2>/dev/null || true)"
  printf '%-22s %10s %10s %s\n' "$name" "${rate:--}" "$(( ${rss_kb:-0} / 1024 ))" "$non2xx"
done
