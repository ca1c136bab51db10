#!/usr/bin/env bash
# make test-cassert: the whole regression suite on an assert-enabled
# PostgreSQL 15 (--enable-cassert --enable-debug) built from Debian's source
# package.  Ends with "N passed, M failed"
# (test/run.sh) and exits non-zero if anything failed.
#
# The server is built once per source version into a private prefix,
# $SALESPLAN_CASSERT_PREFIX (default /var/tmp/salesplan-pg15-cassert); later
# runs reuse it.  The source is the version of the installed postgresql-15
# package when apt can download it, else the newest one it can.  A cold build needs root (apt-get source, build tools, and
# deb-src entries derived from the machine's apt sources) and takes about
# 6 minutes on 2 cores; with the cache, only salesplan is built.
# SALESPLAN_CASSERT_OFFLINE=1 reuses any cached build without asking apt for
# the current source version.
set -euo pipefail
umask 022
cd "$(dirname "$0")/.."
. test/debsrc.sh

PGV=15
PREFIX=${SALESPLAN_CASSERT_PREFIX:-/var/tmp/salesplan-pg${PGV}-cassert}
JOBS=${SALESPLAN_JOBS:-2}
# Keep the server minimal: what the suite needs and no more.  Changing these
# flags invalidates the cache.
CONFIGURE_FLAGS="--enable-cassert --enable-debug --without-icu --without-readline --without-llvm"
BUILD_DEPS="gcc make bison flex perl zlib1g-dev dpkg-dev"
STAMP=$PREFIX/.salesplan-build
# Bump when the recipe below changes, so that old caches are rebuilt.
RECIPE=2

log() { echo "salesplan cassert: $*"; }

need_root() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "salesplan cassert: $1 needs root (run once as root, then the cached build is used)" >&2
        exit 1
    fi
}

install_build_deps() {
    local pkg need=()
    for pkg in $BUILD_DEPS; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
    done
    [ ${#need[@]} -eq 0 ] && return 0
    need_root "installing ${need[*]}"
    log "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need[@]}" >/dev/null
}

# The build lock: two checkouts must not build into the prefix at once.
mkdir -p "$(dirname "$PREFIX")"
exec 8>"$PREFIX.lock"
flock 8

# build_server VERSION: configure, build and install postgresql-$PGV=VERSION
# into $PREFIX; fails (quietly) when apt cannot download that source.
build_server() {
    local version=$1 build=$PREFIX.build src start
    start=$(date +%s)
    src=$(fetch_source postgresql-$PGV "$version" "$build") || return 1
    log "building postgresql-$PGV $version ($CONFIGURE_FLAGS) into $PREFIX"
    rm -rf "$PREFIX"
    (
        cd "$src"
        ./configure --prefix="$PREFIX" $CONFIGURE_FLAGS >"$build/configure.log" 2>&1 ||
            { tail -n 40 "$build/configure.log" >&2; exit 1; }
        # Everything must install under the prefix, nothing into the
        # system's PostgreSQL directories.
        make -s -C src/port pg_config_paths.h >/dev/null
        local d
        for d in $(sed -n 's/^#define [A-Z]*DIR[A-Z]* "\(.*\)"$/\1/p' src/port/pg_config_paths.h); do
            case $d in
            "$PREFIX"/*) ;;
            *) echo "salesplan cassert: configure put $d outside $PREFIX" >&2; exit 1 ;;
            esac
        done
        # The server, client programs and PGXS, and the isolation tester (the
        # suite has isolation specs).  No docs, no contrib.
        { make -j"$JOBS" && make install &&
            make -C src/test/isolation -j"$JOBS" && make -C src/test/isolation install; } \
            >"$build/make.log" 2>&1 || { tail -n 60 "$build/make.log" >&2; exit 1; }
    ) || { echo "salesplan cassert: building postgresql-$PGV $version failed (log in $build)" >&2; exit 1; }
    install_pg_cron
    printf '%s\n' "postgresql-$PGV $version recipe $RECIPE $CONFIGURE_FLAGS" >"$STAMP"
    rm -rf "$build"
    log "server built and installed in $(($(date +%s) - start)) s"
}

# pg_cron (test/cluster.sh preloads it) comes from Debian's binary package
# for PostgreSQL $PGV: the module is ABI-compatible with any $PGV server, and
# the assertions under test are the server's and salesplan's, not pg_cron's.
install_pg_cron() {
    local pkg=postgresql-$PGV-cron f deb_pkglib deb_share pkglib share
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
        log "installing $pkg"
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$pkg" >/dev/null
    fi
    deb_pkglib=/usr/lib/postgresql/$PGV/lib
    deb_share=/usr/share/postgresql/$PGV/extension
    pkglib=$("$PREFIX/bin/pg_config" --pkglibdir)
    share=$("$PREFIX/bin/pg_config" --sharedir)/extension
    while read -r f; do
        case $f in
        "$deb_pkglib"/*.so) install -m 755 "$f" "$pkglib/" ;;
        "$deb_share"/*.control | "$deb_share"/*.sql) install -m 644 "$f" "$share/" ;;
        esac
    done < <(dpkg -L "$pkg")
    [ -f "$pkglib/pg_cron.so" ] || { echo "salesplan cassert: no pg_cron.so in $pkg" >&2; exit 1; }
}

if [ "${SALESPLAN_CASSERT_OFFLINE:-0}" = 1 ] && [ -f "$STAMP" ]; then
    log "using the cached build in $PREFIX ($(cat "$STAMP"))"
else
    ensure_deb_src
    # Prefer the source of the PostgreSQL $PGV that make test runs natively.
    native=$(dpkg-query -W -f='${Version}' postgresql-$PGV 2>/dev/null || true)
    versions=$(source_versions postgresql-$PGV "$native")
    [ -n "$versions" ] || { echo "salesplan cassert: apt knows no source of postgresql-$PGV" >&2; exit 1; }
    done_=""
    for v in $versions; do
        if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "postgresql-$PGV $v recipe $RECIPE $CONFIGURE_FLAGS" ]; then
            log "using the cached build in $PREFIX (postgresql-$PGV $v)"
            done_=1
            break
        fi
        need_root "building PostgreSQL"
        install_build_deps
        if build_server "$v"; then
            done_=1
            break
        fi
        log "source of postgresql-$PGV $v cannot be downloaded; trying an older one"
    done
    if [ -z "$done_" ]; then
        echo "salesplan cassert: no source of postgresql-$PGV could be downloaded (tried: $(echo $versions))" >&2
        exit 1
    fi
fi
# The build leaves out contrib, and Debian's postgres_fdw module is built for
# the installed minor release, not this one: without postgres_fdw here, the
# test and the doc page that need it are skipped in this leg (the pg15, pg17
# and pg18 legs run them).
if [ ! -f "$("$PREFIX/bin/pg_config" --sharedir)/extension/postgres_fdw.control" ]; then
    export SALESPLAN_SKIP="scaling_fdw doc/scaling.md"
    log "no postgres_fdw in this build: skipping $SALESPLAN_SKIP"
fi
flock -u 8
exec 8>&-

# The cluster runs as "postgres" when we are root: it must exist even on a
# machine without Debian's server packages.
if [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; then
    useradd --system --user-group --home-dir /var/lib/postgresql --create-home --shell /bin/bash postgres
fi

# test/run.sh and test/cluster.sh take the server from PG_CONFIG.
PG_CONFIG=$PREFIX/bin/pg_config exec bash test/run.sh
