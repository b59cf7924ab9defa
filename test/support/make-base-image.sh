#!/usr/bin/env bash
# Build a minimal local Node.js base image for the tests, without pulling
# anything from a container registry.
#
# Usage: test/support/make-base-image.sh [TAG] [--force]
#   TAG      image tag to create (default: mcps-test-base:local)
#   --force  rebuild even if TAG already exists
#
# The image is assembled from the host: its node binary and the shared
# libraries it links against, its npm, a static busybox for /bin/sh and the
# usual tools, and the CA bundle named by $NODE_EXTRA_CA_CERTS. It is meant to
# be passed to the mcps/*/Dockerfile builds as --build-arg BASE_IMAGE=<TAG>.
# The script assumes it runs as root (it may apt-get install busybox-static).
set -euo pipefail

TAG="mcps-test-base:local"
FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    -h|--help)
      sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    -*) echo "make-base-image: unknown option: $arg" >&2; exit 2 ;;
    *) TAG="$arg" ;;
  esac
done

log() { echo "make-base-image: $*" >&2; }

if [ "$FORCE" -eq 0 ] && docker image inspect "$TAG" >/dev/null 2>&1; then
  log "$TAG already exists (use --force to rebuild)"
  exit 0
fi

# --- locate the host's pieces ------------------------------------------------
NODE_BIN="$(command -v node || true)"
[ -n "$NODE_BIN" ] || { log "node not found on PATH"; exit 1; }
NODE_BIN="$(readlink -f "$NODE_BIN")"

NPM_DIR="$(npm root -g 2>/dev/null)/npm"
[ -f "$NPM_DIR/bin/npm-cli.js" ] || { log "npm not found at $NPM_DIR"; exit 1; }

is_static() { ! ldd "$1" >/dev/null 2>&1; }
BUSYBOX="$(command -v busybox || true)"
if [ -z "$BUSYBOX" ] || ! is_static "$BUSYBOX"; then
  log "installing busybox-static"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q busybox-static >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q busybox-static >/dev/null; }
  BUSYBOX=/bin/busybox
fi
BUSYBOX="$(readlink -f "$BUSYBOX")"
is_static "$BUSYBOX" || { log "$BUSYBOX is not statically linked"; exit 1; }

CA_FILE="${NODE_EXTRA_CA_CERTS:-}"
if [ -z "$CA_FILE" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  CA_FILE=/etc/ssl/certs/ca-certificates.crt
fi
if [ -n "$CA_FILE" ] && [ ! -f "$CA_FILE" ]; then
  log "CA file $CA_FILE does not exist"; exit 1
fi

# --- assemble the root filesystem --------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mcps-base.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
R="$WORK/rootfs"

# merged-/usr layout, like Debian: /bin, /lib, /lib64, /sbin point into /usr
mkdir -p "$R"/usr/bin "$R"/usr/sbin "$R"/usr/lib "$R"/usr/lib64 "$R"/usr/local/bin \
  "$R"/etc "$R"/root "$R"/home/node "$R"/tmp "$R"/var/tmp "$R"/proc "$R"/sys "$R"/dev
ln -s usr/bin "$R/bin"
ln -s usr/sbin "$R/sbin"
ln -s usr/lib "$R/lib"
ln -s usr/lib64 "$R/lib64"
chmod 0700 "$R/root"
chmod 1777 "$R/tmp" "$R/var/tmp"
chown 1000:1000 "$R/home/node"
chmod 0755 "$R/home/node"

# copy a host file to the same path inside the rootfs, dereferencing symlinks
copy_same_path() {
  local src="$1"
  mkdir -p "$R$(dirname "$src")"
  cp -L "$src" "$R$src"
}

install -m 0755 "$NODE_BIN" "$R/usr/bin/node"
# every shared library ldd lists, including the dynamic loader
ldd "$NODE_BIN" | awk '
  $2 == "=>" && $3 ~ /^\// { print $3; next }
  $1 ~ /^\// { print $1 }
' | sort -u | while read -r lib; do
  copy_same_path "$lib"
done

install -m 0755 "$BUSYBOX" "$R/usr/bin/busybox"
for applet in sh ash ls cat env echo printf test [ true false sleep pwd \
  mkdir rmdir rm cp mv ln chmod chown touch stat readlink realpath dirname basename \
  tar gzip gunzip zcat wget grep sed awk head tail wc sort uniq cut tr find xargs \
  ps kill id whoami hostname uname date du df mktemp which nproc free; do
  [ -e "$R/usr/bin/$applet" ] || ln -s busybox "$R/usr/bin/$applet"
done

mkdir -p "$R/usr/lib/node_modules"
cp -a "$NPM_DIR" "$R/usr/lib/node_modules/npm"
rm -rf "$R/usr/lib/node_modules/npm/docs" "$R/usr/lib/node_modules/npm/man"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$R/usr/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$R/usr/bin/npx"

if [ -n "$CA_FILE" ]; then
  copy_same_path "$CA_FILE"
  chmod 0644 "$R$CA_FILE"
fi

cat >"$R/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
node:x:1000:1000::/home/node:/bin/sh
EOF
cat >"$R/etc/group" <<'EOF'
root:x:0:
nogroup:x:65534:
node:x:1000:
EOF
cat >"$R/etc/nsswitch.conf" <<'EOF'
passwd: files
group: files
hosts: files dns
EOF
# docker bind-mounts its own /etc/hosts, /etc/resolv.conf and /etc/hostname
: >"$R/etc/hosts"
: >"$R/etc/resolv.conf"

# --- import ------------------------------------------------------------------
changes=(
  --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin'
  --change 'CMD ["node"]'
)
if [ -n "$CA_FILE" ]; then
  changes+=(--change "ENV NODE_EXTRA_CA_CERTS=$CA_FILE")
fi

log "importing $TAG"
tar --numeric-owner -C "$R" -cf - . \
  | docker import "${changes[@]}" --message "mcps test base (host node $("$NODE_BIN" --version))" - "$TAG" >/dev/null

log "built $TAG: node $(docker run --rm "$TAG" node --version), npm $(docker run --rm "$TAG" npm --version 2>/dev/null)"
