#!/usr/bin/env bash
# Installs what building, testing and the demo need on Debian: the PostgreSQL
# server and headers of one major version (the first argument or $PG,
# default 15), pg_cron for it, the C toolchain, and the tz database's legacy
# zone names where Debian packages them apart.
# As root it installs missing packages non-interactively; as another user it
# says what is missing and how to install it.
set -euo pipefail

PGV=${1:-${PG:-15}}
case $PGV in
    '' | *[!0-9]*) echo "salesplan: PostgreSQL major version must be a number, not '$PGV'" >&2; exit 2 ;;
esac
need=()
for pkg in postgresql-$PGV postgresql-server-dev-$PGV postgresql-$PGV-cron postgresql-common make gcc libc6-dev util-linux; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
# The tests and docs bind zones by names such as CET and EST (zone files that
# are also abbreviations).  Since tzdata 2024b Debian (trixie and later) ships
# those names in tzdata-legacy; bookworm's tzdata still has them.
if [ ! -e /usr/share/zoneinfo/CET ]; then
    need+=(tzdata-legacy)
fi

if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "salesplan: missing packages: ${need[*]}" >&2
    echo "hint: run 'sudo bash test/deps.sh $PGV' once, then 'make test PG=$PGV' or 'make demo' again" >&2
    exit 1
fi

echo "salesplan: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
if ! apt-cache show "postgresql-$PGV" >/dev/null 2>&1; then
    echo "salesplan: PostgreSQL $PGV is not in this machine's apt sources" >&2
    echo "hint: 'bash .ci/run' tests 15, 17 and 18, the latter two in Debian chroots" >&2
    exit 1
fi
# Debian's postgresql-common creates a "main" cluster on install; we never use
# it (tests and the demo run their own clusters), so do not create one.
mkdir -p /etc/postgresql-common/createcluster.d
echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/salesplan.conf
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
