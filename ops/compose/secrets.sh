#!/bin/sh
# Makes the compose cluster's passwords and keys, once: random values in var/secrets/ (or the
# folder given), one file each; docker-compose.yml mounts them at /run/secrets/NAME. They live
# under var/ with the other state of this installation: not in git, the image or the package.
# Existing files are kept,
# so running it again changes nothing; delete a file to make a new value (and recreate the
# services that use it — the PostgreSQL password is set only when its volume is first made).
#
# The folder is private to its owner (0700). The files in it are readable (0644) because the
# containers read them as their own users (node, postgres, nobody) through bind mounts, which
# keep the host's owner and mode; the folder's mode is what keeps other host users out.
set -eu
dir=${1:-$(cd "$(dirname "$0")/../.." && pwd)/var/secrets}
mkdir -p "$dir"
chmod 700 "$dir"
for name in postgres_password relay_secret pin_key grafana_admin_password; do
  [ -s "$dir/$name" ] && continue
  # 32 random bytes, hex: no character that needs quoting in a URL, a shell or a config file.
  od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > "$dir/$name.tmp"
  chmod 644 "$dir/$name.tmp"
  mv "$dir/$name.tmp" "$dir/$name"
  echo "secrets.sh: made $dir/$name"
done
