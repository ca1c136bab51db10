# Shared helpers for throwaway and demo clusters (sourced, not run).
# A cluster runs as the invoking user, or as "postgres" when invoked as root
# (initdb refuses to run as root).
#
# The server is the one PG_CONFIG names (default: pg_config on PATH, Debian's
# PostgreSQL 15); its bindir comes first on PATH so that psql, pg_dump and
# pg_restore match the server.

PG_CONFIG=${PG_CONFIG:-pg_config}
export PG_CONFIG
PG_BINDIR=$("$PG_CONFIG" --bindir)
PATH=$PG_BINDIR:$PATH

as_cluster_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# free_port LOW HIGH: the first port in [LOW, HIGH] nobody listens on.
free_port() {
    local p
    for p in $(seq "$1" "$2"); do
        if ! (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    echo "salesplan: no free port in $1-$2" >&2
    return 1
}

# cluster_init DIR PORT [CRON_DB]: a new cluster in DIR listening on a unix
# socket in DIR and on 127.0.0.1:PORT, with pg_cron preloaded and bound to
# database CRON_DB (pg_cron's extension can only be created there).
cluster_init() {
    local dir=$1 port=$2 crondb=${3:-postgres}
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    as_cluster_owner "$PG_BINDIR/initdb" -D "$dir/data" -U postgres --auth=trust \
        --no-sync --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        return 1
    }
    as_cluster_owner tee -a "$dir/data/postgresql.conf" >/dev/null <<CONF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_preload_libraries = 'pg_cron'
cron.database_name = '$crondb'
max_worker_processes = 16
max_parallel_workers_per_gather = 2
CONF
}

# cluster_start DIR [PG_CTL_OPTION...]: e.g. -c to let backends dump core.
cluster_start() {
    local dir=$1
    shift
    # The server must not inherit the callers' lock files (fds 8 and 9):
    # one that outlives its run would hold the lock for everyone.
    as_cluster_owner "$PG_BINDIR/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 "$@" start >/dev/null 8>&- 9>&- || {
        cat "$dir/server.log" >&2
        return 1
    }
}

# cluster_port DIR: the port the cluster in DIR listens on.
cluster_port() {
    sed -n 's/^port = \([0-9]*\).*/\1/p' "$1/data/postgresql.conf" | tail -n 1
}

# cluster_start_any_port DIR [PG_CTL_OPTION...]: cluster_start for a
# throwaway cluster; when its port was taken meanwhile (another checkout
# started a cluster between free_port and here), moves to the next free
# port and tries again.  Read the port back with cluster_port.
cluster_start_any_port() {
    local dir=$1 try port
    for try in 1 2 3 4 5; do
        if cluster_start "$@" 2>/dev/null; then
            return 0
        fi
        grep -q 'Address already in use' "$dir/server.log" || break
        port=$(free_port $(($(cluster_port "$dir") + 1)) 56999) || break
        echo "salesplan: port taken, moving the cluster to port $port"
        as_cluster_owner sed -i "s/^port = .*/port = $port/" "$dir/data/postgresql.conf"
        : | as_cluster_owner tee "$dir/server.log" >/dev/null
    done
    cat "$dir/server.log" >&2
    return 1
}

cluster_stop() {
    local dir=$1
    [ -f "$dir/data/postmaster.pid" ] || return 0
    as_cluster_owner "$PG_BINDIR/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# install_extension: "make install" into the server's directories.  Root
# installs directly; another user needs write access there or password-less
# sudo.
install_extension() {
    local pkglib
    pkglib=$("$PG_CONFIG" --pkglibdir)
    if [ "$(id -u)" -eq 0 ] || [ -w "$pkglib" ]; then
        make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
    elif sudo -n true 2>/dev/null; then
        sudo -n make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
    else
        echo "salesplan: cannot write to $pkglib to install the extension" >&2
        echo "hint: run 'make test' as root once, or 'sudo make install' before it" >&2
        return 1
    fi
}

# install_lock: the lock file that serialises installing into (and testing
# against) this server's directories across checkouts: one for Debian's
# packaged servers (make test, make demo), one per private build.
install_lock() {
    if [ "${PG_BINDIR#/usr/lib/postgresql/}" != "$PG_BINDIR" ]; then
        echo /tmp/salesplan-test.lock
    else
        echo "/tmp/salesplan-test-$(echo "$PG_BINDIR" | md5sum | cut -c1-8).lock"
    fi
}
