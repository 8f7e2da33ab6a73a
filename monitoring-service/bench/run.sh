#!/usr/bin/env bash
# Issue 4 §6 benchmark: sample ingestion throughput (batches of 500) and breach -> rollback.triggered delay with
# 100 releases monitored. Prints the figures and writes them to monitoring-service/target/benchmark.txt.
# The class is named neither *Test nor *IT, so ./mvnw verify never runs it.
# Options: -Dbench.clients=4 -Dbench.warmup=20 -Dbench.seconds=30 -Dbench.breaches=30
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -B -q -ntp -pl monitoring-service test -Dtest=IngestionBenchmark -Dsurefire.failIfNoSpecifiedTests=false "$@"
cat monitoring-service/target/benchmark.txt
