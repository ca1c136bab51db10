#!/usr/bin/env bash
# Installs what building, testing and the demo need on Debian 12:
# PostgreSQL 15 server and headers, pg_cron, and the C toolchain.
# As root it installs missing packages non-interactively; as another user it
# says what is missing and how to install it.
set -euo pipefail

PGV=15
need=()
for pkg in postgresql-$PGV postgresql-server-dev-$PGV postgresql-$PGV-cron postgresql-common make gcc libc6-dev util-linux; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done

if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "salesplan: missing packages: ${need[*]}" >&2
    echo "hint: run 'sudo bash test/deps.sh' once, then 'make test' or 'make demo' again" >&2
    exit 1
fi

echo "salesplan: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Debian's postgresql-common creates a "main" cluster on install; we never use
# it (tests and the demo run their own clusters), so do not create one.
mkdir -p /etc/postgresql-common/createcluster.d
echo 'create_main_cluster = false' > /etc/postgresql-common/createcluster.d/salesplan.conf
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
