#!/usr/bin/env bash
# What the test suites need on this machine, installed and started when missing (npm test runs
# this first, through test/global-setup.ts): Redis at 127.0.0.1:6379, PostgreSQL at
# 127.0.0.1:5432 with a superuser role for the current user, Debian's prometheus and
# redis-server binaries, openssl (the differential suite's independent verifier), and the PC/SC
# stack for the card suites: pcscd with vsmartcard's vpcd driver (virtual readers "Virtual PCD 00
# 00" / "00 01" a virtual card connects to on 127.0.0.1:35963 / 35964), OpenSC (the independent
# JPKI implementation the card tests compare with) and the PC/SC headers the npm binding builds
# against. A suite that still cannot reach them fails; none skips.
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
command -v pcscd >/dev/null 2>&1 || missing="$missing pcscd"
[ -e /usr/lib/pcsc/drivers/serial/libifdvpcd.so ] || missing="$missing vsmartcard-vpcd"
command -v pkcs15-tool >/dev/null 2>&1 || missing="$missing opensc"
[ -e /usr/include/PCSC/winscard.h ] || missing="$missing libpcsclite-dev"
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

# pcscd, without systemd: started as a daemon when its socket does not answer. It loads the vpcd
# driver from /etc/reader.conf.d at start, so one started before vsmartcard-vpcd was installed
# has no virtual reader: say so rather than restart a daemon this script did not start.
pcsc_up() { [ -S /run/pcscd/pcscd.comm ] && [ -f /run/pcscd/pcscd.pid ] && kill -0 "$(tr -dc 0-9 < /run/pcscd/pcscd.pid)" 2>/dev/null; }
if ! pcsc_up; then
  rm -f /run/pcscd/pcscd.comm
  pcscd
  for _ in $(seq 1 50); do pcsc_up && break; sleep 0.1; done
fi
pcsc_up || { echo "services: pcscd did not start" >&2; exit 1; }
vpcd_seen=""
for _ in $(seq 1 50); do
  if opensc-tool --list-readers 2>/dev/null | grep -q 'Virtual PCD 00 00'; then vpcd_seen=1; break; fi
  sleep 0.1
done
[ -n "$vpcd_seen" ] || { echo "services: pcscd runs but shows no vpcd reader (started before vsmartcard-vpcd was installed? restart pcscd)" >&2; exit 1; }

# The PC/SC binding is an optional dependency: `npm ci` on a machine without the PC/SC headers
# skips it. Built here once the headers are in.
repo="$(cd "$(dirname "$0")/.." && pwd)"
if [ -d "$repo/node_modules" ] && [ ! -e "$repo/node_modules/smartcard/build/Release/smartcard_napi.node" ]; then
  if [ -d "$repo/node_modules/smartcard" ]; then
    (cd "$repo" && npm rebuild smartcard --no-audit --no-fund >/dev/null)
  else
    version=$(node -p "require('$repo/package-lock.json').packages['node_modules/smartcard'].version")
    (cd "$repo" && npm install --no-save --no-audit --no-fund "smartcard@$version" >/dev/null)
  fi
fi
