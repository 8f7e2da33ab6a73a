#!/bin/sh
# Makes sure the `prometheus` binary (Debian package `prometheus`) is present, for RealPrometheusIT.
#
# Prints the binary's path as the last line of stdout and exits 0 when it is (or has just been) installed.
# Exits 3 with the reason on stdout when it is missing and cannot be installed here (not root, no apt-get);
# any other non-zero exit is a failed installation.
# The Debian service the package may start is stopped again: the test runs its own prometheus process.
set -u

find_prometheus() {
    if [ -n "${PROMETHEUS_BIN:-}" ] && [ -x "$PROMETHEUS_BIN" ]; then
        echo "$PROMETHEUS_BIN"
        return 0
    fi
    command -v prometheus 2>/dev/null && return 0
    [ -x /usr/bin/prometheus ] && echo /usr/bin/prometheus && return 0
    return 1
}

if find_prometheus; then
    exit 0
fi

if [ "$(id -u)" != "0" ]; then
    echo "prometheus is not installed and this user ($(id -un)) is not root, so it cannot be installed" \
        "with apt-get (run: sudo apt-get install prometheus)"
    exit 3
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "prometheus is not installed and there is no apt-get to install the Debian package with"
    exit 3
fi

echo "Installing the Debian package prometheus..." >&2
apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >&2
status=$?

# The package's postinst may have started the Debian services; stop them (the test starts its own process).
for service in prometheus prometheus-node-exporter; do
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then
        systemctl stop "$service" >/dev/null 2>&1 || true
    elif [ -x "/etc/init.d/$service" ]; then
        "/etc/init.d/$service" stop >/dev/null 2>&1 || true
    fi
done

if [ "$status" -ne 0 ]; then
    echo "apt-get install prometheus failed (exit $status)"
    exit "$status"
fi
find_prometheus || { echo "apt-get installed prometheus but no prometheus binary was found"; exit 1; }
