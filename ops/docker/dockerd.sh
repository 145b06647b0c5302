#!/usr/bin/env bash
# A Docker daemon for machines without one running (no systemd, containers, CI sandboxes):
#   ops/docker/dockerd.sh start   installs Debian's docker.io, docker-compose and debootstrap when
#                                 missing (as root), starts dockerd unless one answers already, and
#                                 prints "started" or "running"
#   ops/docker/dockerd.sh stop    stops the daemon this script started (its pid file), nothing else
#
# The daemon runs with --iptables=false --bridge=none: such machines often have no iptables or
# NAT. Compose still makes its own network for the cluster (service names resolve, published
# ports go through docker-proxy); builds use the host network (`docker build --network host`).
set -euo pipefail
state=${JPKI_DOCKERD_STATE:-/var/tmp/jpki-dockerd}
pidfile=$state/dockerd.pid

apt_install() {
  if [ "$(id -u)" != 0 ]; then echo "dockerd.sh: need root to install $*" >&2; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

case "${1:-}" in
  start)
    missing=""
    command -v dockerd >/dev/null 2>&1 || missing="$missing docker.io"
    command -v docker-compose >/dev/null 2>&1 || missing="$missing docker-compose"
    command -v debootstrap >/dev/null 2>&1 || missing="$missing debootstrap"
    # shellcheck disable=SC2086
    [ -z "$missing" ] || apt_install $missing
    if docker info >/dev/null 2>&1; then echo running; exit 0; fi
    [ "$(id -u)" = 0 ] || { echo "dockerd.sh: no Docker daemon answers, and starting one needs root" >&2; exit 1; }
    mkdir -p "$state"
    setsid dockerd --iptables=false --bridge=none --pidfile "$pidfile" >"$state/dockerd.log" 2>&1 < /dev/null &
    for _ in $(seq 1 100); do docker info >/dev/null 2>&1 && break; sleep 0.2; done
    docker info >/dev/null 2>&1 || { tail -20 "$state/dockerd.log" >&2; echo "dockerd.sh: dockerd did not start" >&2; exit 1; }
    echo started
    ;;
  stop)
    [ -s "$pidfile" ] || { echo "dockerd.sh: no daemon started by this script" >&2; exit 0; }
    pid=$(cat "$pidfile")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    rm -f "$pidfile"
    ;;
  *)
    echo "usage: ops/docker/dockerd.sh start|stop" >&2
    exit 2
    ;;
esac
