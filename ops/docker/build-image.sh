#!/usr/bin/env bash
# Builds the one jpki-verify image (api, worker, jlis, bank) as $JPKI_IMAGE (jpki-verify).
#   BASE_IMAGE     Node.js 24 base; unset: the Dockerfile's official image, pinned by digest.
#                  Without a registry: local/node:24-bookworm (ops/docker/build-local-images.sh).
#   NPM_EXTRA_CA_FILE  PEM of a TLS-intercepting proxy's CA for npm in the build stage; unset:
#                  the local CAs this host trusts (/usr/local/share/ca-certificates/*.crt), if any.
# The build runs on the host network (no bridge needed; see dockerd.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
args=(--network host -t "${JPKI_IMAGE:-jpki-verify}")
[ -z "${BASE_IMAGE:-}" ] || args+=(--build-arg "BASE_IMAGE=$BASE_IMAGE")
if [ -n "${NPM_EXTRA_CA_FILE:-}" ]; then
  args+=(--build-arg "NPM_EXTRA_CA=$(cat "$NPM_EXTRA_CA_FILE")")
elif compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  args+=(--build-arg "NPM_EXTRA_CA=$(cat /usr/local/share/ca-certificates/*.crt)")
fi
docker build -q "${args[@]}" . >/dev/null
