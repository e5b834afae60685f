#!/usr/bin/env bash
# Local base images for building the Dockerfiles on a machine that can reach Debian's mirror
# and the npm registry but no image registry (the deploy test, CI):
#   localhost/debian:bookworm-slim  debootstrap --variant=minbase bookworm (the edge image's base)
#   localhost/node:20-bookworm-slim the same plus this machine's node and npm, user node (1000)
# The debootstrap tree is cached as a tarball in CACHE_DIR (default /var/tmp/athlete-deploy-cache)
# and reused when present; without it the script makes one (about 2 minutes).
set -euo pipefail
CACHE_DIR=${CACHE_DIR:-/var/tmp/athlete-deploy-cache}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
rootfs_tar="$CACHE_DIR/bookworm-minbase.tar"
mkdir -p "$CACHE_DIR"

if [ ! -s "$rootfs_tar" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  echo "▸ debootstrap bookworm (minbase) into the cache"
  debootstrap --variant=minbase bookworm "$work/rootfs" "$MIRROR" >"$work/debootstrap.log" 2>&1 ||
    { tail -20 "$work/debootstrap.log"; exit 1; }
  tar -C "$work/rootfs" -cf "$rootfs_tar.tmp" . && mv "$rootfs_tar.tmp" "$rootfs_tar"
fi

image_exists() { buildah inspect --type image "$1" >/dev/null 2>&1; }

if ! image_exists localhost/debian:bookworm-slim; then
  echo "▸ localhost/debian:bookworm-slim from $rootfs_tar"
  c=$(buildah from scratch)
  buildah add --quiet "$c" "$rootfs_tar" /
  # The registries are reached through a proxy that only the machine's CA bundle trusts.
  buildah copy --quiet "$c" /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
  buildah run --isolation chroot "$c" -- sh -c 'apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin'
  buildah config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --env LANG=C.UTF-8 --cmd bash "$c"
  buildah commit --quiet --rm "$c" localhost/debian:bookworm-slim >/dev/null
fi

if ! image_exists localhost/node:20-bookworm-slim; then
  echo "▸ localhost/node:20-bookworm-slim (node $(node --version) from this machine)"
  c=$(buildah from localhost/debian:bookworm-slim)
  buildah copy --quiet "$c" "$(command -v node)" /usr/local/bin/node
  buildah copy --quiet "$c" "$(npm root -g)/npm" /usr/local/lib/node_modules/npm
  buildah run --isolation chroot "$c" -- sh -c '
    ln -sf ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm &&
    ln -sf ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx &&
    groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
  buildah config --env NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt --cmd node "$c"
  buildah commit --quiet --rm "$c" localhost/node:20-bookworm-slim >/dev/null
fi
