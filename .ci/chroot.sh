#!/usr/bin/env bash
# .ci/chroot.sh SUITE PGV: "make test PG=PGV" inside a Debian SUITE chroot
# (trixie for PostgreSQL 17, sid for 18), as root.  Ends with make test's
# "N passed, M failed" and exits non-zero if anything failed.
#
# The chroot is built with debootstrap from this machine's own Debian mirror
# (read from its apt sources), with PostgreSQL PGV, its headers, pg_cron, make
# and gcc, and cached as a zstd tarball under /var/tmp (keyed by suite and
# version, rebuilt after $SALESPLAN_CHROOT_DAYS days, default 7); a cached
# run only unpacks it.  Each run works in a fresh copy: the checkout is
# copied in (the chroot's build never touches it) and ../shared is
# bind-mounted read-only at the same relative place.
set -euo pipefail
umask 022

SUITE=${1:?usage: .ci/chroot.sh SUITE PG_MAJOR}
PGV=${2:?usage: .ci/chroot.sh SUITE PG_MAJOR}
CHECKOUT=$(cd "$(dirname "$0")/.." && pwd)
NAME=$(basename "$CHECKOUT")
CACHE_DIR=${SALESPLAN_CHROOT_CACHE:-/var/tmp}
CACHE=$CACHE_DIR/salesplan-chroot-$SUITE-pg$PGV.tar.zst
MAX_DAYS=${SALESPLAN_CHROOT_DAYS:-7}
# tzdata-legacy: CET, EST and the other zone names the tests bind (trixie and
# sid ship them apart from tzdata; test/deps.sh adds it to an older cache)
PACKAGES="postgresql-$PGV postgresql-server-dev-$PGV postgresql-$PGV-cron make gcc libc6-dev tzdata-legacy"

log() { echo "salesplan chroot $SUITE: $*"; }
now() { date +%s; }
took() { echo "$(($(now) - $1)) s"; }

[ "$(id -u)" -eq 0 ] || { echo "salesplan: .ci/chroot.sh must run as root" >&2; exit 1; }

# The Debian archive this machine's apt uses: the first source of a release
# suite (no "-security" or "-updates" suffix), in deb822 or one-line form.
debian_mirror() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk 'BEGIN { RS = ""; FS = "\n" }
             {
                 uris = ""; suites = ""; types = ""
                 for (i = 1; i <= NF; i++) {
                     if ($i ~ /^URIs:/) uris = substr($i, 6)
                     if ($i ~ /^Suites:/) suites = substr($i, 8)
                     if ($i ~ /^Types:/) types = substr($i, 7)
                 }
                 if (types !~ /(^| )deb( |$)/) next
                 n = split(suites, s, " ")
                 for (j = 1; j <= n; j++)
                     if (s[j] !~ /-/) { split(uris, u, " "); print u[1]; exit }
             }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        sed -e 's/\[[^]]*\]//' "$f" | awk '$1 == "deb" && $3 !~ /-/ { print $2 }'
    done
}

host_tools() {
    if ! command -v debootstrap >/dev/null || ! command -v zstd >/dev/null; then
        log "installing debootstrap and zstd"
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends debootstrap zstd >/dev/null
    fi
}

build_cache() {
    local mirror root t
    mirror=$(debian_mirror | head -n 1)
    if [ -z "$mirror" ]; then
        echo "salesplan: no Debian mirror found in /etc/apt/sources.list{,.d}" >&2
        return 1
    fi
    root=$(mktemp -d "$CACHE_DIR/salesplan-chroot-$SUITE-build.XXXXXX")
    BUILD_ROOT=$root
    chmod 755 "$root"
    t=$(now)
    log "debootstrap $SUITE from $mirror"
    if ! debootstrap --variant=minbase --keyring=/usr/share/keyrings/debian-archive-keyring.gpg \
        "$SUITE" "$root" "$mirror" >"$root.log" 2>&1; then
        tail -n 20 "$root.log" >&2
        return 1
    fi
    log "debootstrap took $(took "$t")"
    t=$(now)
    # sid's Release file on an archive copy can be past its Valid-Until.
    echo 'Acquire::Check-Valid-Until "false";' >"$root/etc/apt/apt.conf.d/99salesplan"
    # Debian's postgresql-common creates a "main" cluster on install; the
    # tests run their own clusters.  No service starts inside the chroot.
    mkdir -p "$root/etc/postgresql-common/createcluster.d"
    echo 'create_main_cluster = false' >"$root/etc/postgresql-common/createcluster.d/salesplan.conf"
    printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
    chmod 755 "$root/usr/sbin/policy-rc.d"
    mount_root "$root"
    in_root "$root" sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null && apt-get clean"
    umount_root "$root"
    log "packages ($PACKAGES) took $(took "$t")"
    t=$(now)
    tar -C "$root" --numeric-owner -I 'zstd -T0 -3' -cf "$CACHE.tmp" .
    mv "$CACHE.tmp" "$CACHE"
    rm -rf --one-file-system "$root" "$root.log"
    BUILD_ROOT=
    log "cached as $CACHE ($(du -h "$CACHE" | cut -f1)) in $(took "$t")"
}

in_root() {
    local root=$1
    shift
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
        chroot "$root" "$@"
}

# PostgreSQL needs /proc, and /dev/shm for parallel query's shared memory.
mount_root() {
    local root=$1
    cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
    mount -t proc proc "$root/proc"
    mount -t tmpfs -o mode=1777 shm "$root/dev/shm"
}

# Unmounts everything under ROOT, deepest first; fails if anything stays.
umount_root() {
    local root=$1 m
    for m in $(awk -v r="$root/" 'index($2 "/", r) == 1 { print $2 }' /proc/self/mounts | sort -r); do
        umount "$m" 2>/dev/null || umount -l "$m"
    done
    ! awk -v r="$root/" 'index($2 "/", r) == 1 { found = 1 } END { exit !found }' /proc/self/mounts
}

# Removes ROOT only when nothing is mounted under it any more (a bind mount
# of ../shared must never be deleted through).
remove_root() {
    local root=$1
    [ -n "$root" ] && [ -d "$root" ] || return 0
    if umount_root "$root"; then
        rm -rf --one-file-system "$root"
    else
        echo "salesplan: mounts remain under $root; left in place" >&2
    fi
}

BUILD_ROOT=
ROOT=
cleanup() {
    remove_root "$ROOT"
    remove_root "$BUILD_ROOT"
    rm -f "$CACHE.tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

host_tools

# One build of a suite's cache at a time (two CI runs may share /var/tmp).
mkdir -p "$CACHE_DIR"
exec 8>"$CACHE.lock"
flock 8
if [ ! -f "$CACHE" ] || [ -n "$(find "$CACHE" -mtime +"$MAX_DAYS" 2>/dev/null)" ]; then
    build_cache
else
    log "using cached $CACHE"
fi
flock -u 8

t=$(now)
ROOT=$(mktemp -d "$CACHE_DIR/salesplan-chroot-$SUITE-run.XXXXXX")
chmod 755 "$ROOT"
tar -C "$ROOT" --numeric-owner -I zstd -xf "$CACHE"
mkdir -p "$ROOT/build/$NAME"
tar -C "$CHECKOUT" --exclude=./.git -cf - . | tar -C "$ROOT/build/$NAME" -xf -
mount_root "$ROOT"
if [ -d "$CHECKOUT/../shared" ]; then
    mkdir -p "$ROOT/build/shared"
    mount --bind "$CHECKOUT/../shared" "$ROOT/build/shared"
    mount -o remount,bind,ro "$ROOT/build/shared"
fi
log "unpacked in $(took "$t")"
t=$(now)
status=0
in_root "$ROOT" sh -c "cd '/build/$NAME' && make test PG=$PGV" || status=$?
log "make test PG=$PGV took $(took "$t")"
exit "$status"
