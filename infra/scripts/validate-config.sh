#!/usr/bin/env bash
# Checks the deployment files with the real tools where they are installed (Debian: prometheus for promtool,
# kubectl for kustomize). Nothing here needs a running Docker engine or cluster; the JUnit DeploymentConfigTest
# checks the same files' syntax and content in every build.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
status=0
if command -v promtool >/dev/null 2>&1; then
  promtool check config prometheus/prometheus.yml || status=1
  promtool check rules prometheus/alert-rules.yml || status=1
else
  echo "promtool not installed: Prometheus files not checked (apt-get install prometheus)"
fi
if command -v amtool >/dev/null 2>&1; then
  amtool check-config alertmanager/alertmanager.yml || status=1
else
  echo "amtool not installed: alertmanager.yml not checked by Alertmanager itself"
fi
if command -v kubectl >/dev/null 2>&1; then
  kubectl kustomize k8s > /dev/null && echo "k8s: kustomize renders $(kubectl kustomize k8s | grep -c '^kind:') objects" || status=1
else
  echo "kubectl not installed: k8s manifests not rendered"
fi
if command -v hadolint >/dev/null 2>&1; then hadolint docker/Dockerfile || status=1; fi
bash -n liftoff bin/liftoff-login && echo "shell scripts: syntax OK"
exit $status
