#!/usr/bin/env bash
# Build a test base image faithful to the public node:20-bookworm-slim, without
# any container registry.
#
# Usage: test/support/make-base-image.sh [TAG] [--force] [--refresh]
#   TAG        image tag to create (default: mcps-test-base:bookworm)
#   --force    re-import the image even if TAG already exists
#   --refresh  also redo debootstrap instead of using the cached root file system
#
# What is in it, and why it matches the public image where it matters:
# - Debian bookworm, variant minbase, made by debootstrap from the apt mirror
#   this machine already uses (MCPS_DEBIAN_MIRROR overrides it): same libc,
#   /bin/sh (dash), merged /usr, no curl, no CA bundle of its own.
# - node at /usr/local/bin/node (the host's binary: it needs only libc,
#   libstdc++ and libgcc_s, all in minbase), npm under
#   /usr/local/lib/node_modules/npm with npm and npx links in /usr/local/bin.
# - a user node (1000:1000, home /home/node), ENTRYPOINT docker-entrypoint.sh
#   that runs `node` when the first argument is an option or not a command,
#   CMD ["node"], ENV NODE_VERSION.
# - the CA file named by $NODE_EXTRA_CA_CERTS (else the host's
#   /etc/ssl/certs/ca-certificates.crt), at the same path, with
#   NODE_EXTRA_CA_CERTS set, so `npm ci` in builds works behind this machine's
#   TLS proxy. The public image has no such file; that is the one addition.
# Differences kept: no yarn; npm is the host's version.
#
# The debootstrap result is cached as a tarball (MCPS_BASE_CACHE, default
# ~/.cache/mcps) keyed by mirror, suite and architecture, so --force costs
# seconds. Runs as root (debootstrap needs it).
set -euo pipefail

TAG="mcps-test-base:bookworm"
FORCE=0
REFRESH=0
SUITE=bookworm
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    --refresh) FORCE=1; REFRESH=1 ;;
    -h|--help) sed -n '2,/^set -euo/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "make-base-image: unknown option: $arg" >&2; exit 2 ;;
    *) TAG="$arg" ;;
  esac
done

log() { echo "make-base-image: $*" >&2; }
die() { log "$*"; exit 1; }

if [ "$FORCE" -eq 0 ] && docker image inspect "$TAG" >/dev/null 2>&1; then
  log "$TAG already exists (use --force to rebuild)"
  exit 0
fi

# The first URI serving $SUITE (not -security/-updates), from one-line or deb822 sources.
apt_mirror() {
  local files=(/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources)
  local f
  for f in "${files[@]}"; do
    [ -f "$f" ] || continue
    case "$f" in
      *.sources)
        awk -v suite="$SUITE" 'BEGIN { RS = "" } {
          uri = ""; ok = 0; off = 0
          n = split($0, lines, "\n")
          for (i = 1; i <= n; i++) {
            if (lines[i] ~ /^URIs:/) { split(lines[i], u, /[ \t]+/); uri = u[2] }
            if (lines[i] ~ /^Suites:/) { m = split(lines[i], s, /[ \t]+/); for (j = 2; j <= m; j++) if (s[j] == suite) ok = 1 }
            if (lines[i] ~ /^Enabled:[ \t]*no/) off = 1
          }
          if (ok && !off && uri != "") { print uri; exit }
        }' "$f"
        ;;
      *)
        sed -e 's/\[[^]]*\]//' "$f" | awk -v suite="$SUITE" '$1 == "deb" && $3 == suite { print $2; exit }'
        ;;
    esac
  done | head -n 1
}

MIRROR="${MCPS_DEBIAN_MIRROR:-$(apt_mirror)}"
[ -n "$MIRROR" ] || die "no apt source for $SUITE found in /etc/apt; set MCPS_DEBIAN_MIRROR"
command -v debootstrap >/dev/null 2>&1 || die "debootstrap is not installed (apt-get install debootstrap)"

NODE_BIN="$(readlink -f "$(command -v node || true)")"
[ -x "$NODE_BIN" ] || die "node not found on PATH"
NPM_DIR="$(npm root -g 2>/dev/null)/npm"
[ -f "$NPM_DIR/bin/npm-cli.js" ] || die "npm not found at $NPM_DIR"
# Unset: the host's bundle, which holds whatever CA this machine's TLS proxy needs (harmless otherwise).
CA_FILE="${NODE_EXTRA_CA_CERTS:-}"
if [ -z "$CA_FILE" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then CA_FILE=/etc/ssl/certs/ca-certificates.crt; fi
[ -z "$CA_FILE" ] || [ -f "$CA_FILE" ] || die "NODE_EXTRA_CA_CERTS names $CA_FILE, which does not exist"

ARCH="$(dpkg --print-architecture)"
CACHE_DIR="${MCPS_BASE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mcps}"
KEY="$(printf '%s %s %s' "$MIRROR" "$SUITE" "$ARCH" | sha256sum | cut -c1-12)"
ROOTFS_TAR="$CACHE_DIR/debian-$SUITE-minbase-$ARCH-$KEY.tar"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/mcps-base.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
R="$WORK/rootfs"
mkdir -p "$R"

if [ "$REFRESH" -eq 1 ] || [ ! -f "$ROOTFS_TAR" ]; then
  log "debootstrap --variant=minbase $SUITE from $MIRROR (about 40 s)"
  started=$SECONDS
  debootstrap --variant=minbase "$SUITE" "$R" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -n 30 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }
  # What debian:bookworm-slim also drops: package caches and lists.
  rm -rf "$R"/var/cache/apt/archives/*.deb "$R"/var/lib/apt/lists/* "$R"/var/log/*.log
  mkdir -p "$CACHE_DIR"
  tar --numeric-owner -C "$R" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf "$ROOTFS_TAR.tmp" .
  mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
  log "debootstrap done in $((SECONDS - started)) s, cached at $ROOTFS_TAR"
else
  log "using cached $ROOTFS_TAR"
  tar --numeric-owner -C "$R" -xf "$ROOTFS_TAR"
fi

# --- node, npm, the node user, the entrypoint --------------------------------
# The host's node must not need a newer glibc than bookworm's (running it in the chroot below proves it).
need="$(objdump -T "$NODE_BIN" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -n 1 || true)"
have="$(chroot "$R" /usr/bin/ldd --version 2>/dev/null | head -n 1 | grep -o '[0-9.]*$' || true)"
log "host node $("$NODE_BIN" --version) needs glibc ${need:-?}; $SUITE has ${have:-?}"
if [ -n "$need" ] && [ -n "$have" ] && [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | tail -n 1)" != "$have" ]; then
  die "the host's node needs glibc $need, newer than $SUITE's $have"
fi

install -d -m 0755 "$R/usr/local/bin" "$R/usr/local/lib/node_modules"
install -m 0755 "$NODE_BIN" "$R/usr/local/bin/node"
cp -a "$NPM_DIR" "$R/usr/local/lib/node_modules/npm"
rm -rf "$R/usr/local/lib/node_modules/npm/docs" "$R/usr/local/lib/node_modules/npm/man"
ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$R/usr/local/bin/npm"
ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$R/usr/local/bin/npx"

chroot "$R" /usr/sbin/groupadd --gid 1000 node
chroot "$R" /usr/sbin/useradd --uid 1000 --gid node --shell /bin/bash --create-home node
chroot "$R" /usr/local/bin/node --version >/dev/null || die "node does not run on $SUITE"

# Like the official image's entrypoint: `docker run IMAGE -e 'code'` or `IMAGE app.js` runs node.
cat >"$R/usr/local/bin/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
if [ "$#" -gt 0 ]; then
  case "$1" in
    -*) set -- node "$@" ;;
    *) if ! command -v -- "$1" >/dev/null 2>&1 || { [ -f "$1" ] && [ ! -x "$1" ]; }; then set -- node "$@"; fi ;;
  esac
fi
exec "$@"
EOF
chmod 0755 "$R/usr/local/bin/docker-entrypoint.sh"

if [ -n "$CA_FILE" ]; then
  install -d "$R$(dirname "$CA_FILE")"
  install -m 0644 "$CA_FILE" "$R$CA_FILE"
fi

# --- import ------------------------------------------------------------------
changes=(
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  --change "ENV NODE_VERSION=$("$NODE_BIN" --version | sed 's/^v//')"
  --change 'ENTRYPOINT ["docker-entrypoint.sh"]'
  --change 'CMD ["node"]'
)
[ -z "$CA_FILE" ] || changes+=(--change "ENV NODE_EXTRA_CA_CERTS=$CA_FILE")

log "importing $TAG"
tar --numeric-owner -C "$R" --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf - . \
  | docker import "${changes[@]}" --message "mcps test base: debian $SUITE minbase + node $("$NODE_BIN" --version)" - "$TAG" >/dev/null

log "built $TAG: node $(docker run --rm "$TAG" --version), npm $(docker run --rm "$TAG" npm --version 2>/dev/null), $(docker run --rm "$TAG" cat /etc/debian_version | sed 's/^/debian /')"
