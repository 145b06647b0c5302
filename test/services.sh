#!/usr/bin/env bash
# What the test suites need on this machine, installed and started when missing (npm test runs
# this first, through test/global-setup.ts): Redis at 127.0.0.1:6379, PostgreSQL at
# 127.0.0.1:5432 with a superuser role for the current user, Debian's prometheus and
# redis-server binaries, and openssl (the differential suite's independent verifier). A suite that still cannot reach them fails; none skips.
set -euo pipefail

apt_install() {
  if [ "$(id -u)" != 0 ]; then echo "services: need root to install $*" >&2; return 1; fi
  [ -n "${APT_UPDATED:-}" ] || { apt-get update -qq; APT_UPDATED=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing=""
command -v redis-server >/dev/null 2>&1 || missing="$missing redis-server"
command -v prometheus >/dev/null 2>&1 || missing="$missing prometheus"
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing="$missing postgresql"
command -v openssl >/dev/null 2>&1 || missing="$missing openssl"
# shellcheck disable=SC2086
[ -z "$missing" ] || apt_install $missing

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.1; done
fi

pg_up() { pg_isready -h 127.0.0.1 -p 5432 -q; }
if ! pg_up; then
  version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
  if [ -z "$version" ]; then echo "services: no PostgreSQL cluster configured" >&2; exit 1; fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 100); do pg_up && break; sleep 0.1; done
fi
pg_up || { echo "services: PostgreSQL is not answering on 127.0.0.1:5432" >&2; exit 1; }
# The suites connect as the current user (trust or peer auth, as Debian's default cluster has it).
me=$(id -un)
if ! psql -h 127.0.0.1 -d postgres -Atc 'select 1' >/dev/null 2>&1; then
  runuser -u postgres -- psql -Atc "select 1 from pg_roles where rolname = '$me'" | grep -q 1 ||
    runuser -u postgres -- createuser --superuser "$me"
fi
