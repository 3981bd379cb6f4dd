# Sourced by scripts/test and scripts/bench: a private PostgreSQL cluster for a test or benchmark run, when no
# server is named. start_private_postgres [OPTION...] sets PRIVATE_POSTGRES_URL (a JDBC URL of its superuser, on a free
# loopback port, PRIVATE_POSTGRES_PORT) and returns 1 when no PostgreSQL binaries are installed; stop_private_postgres stops it and removes it.
# The cluster is made with initdb -A trust in a temporary folder; run as root, it runs as the postgres user.

PRIVATE_POSTGRES_DIR=
PRIVATE_POSTGRES_URL=
PRIVATE_POSTGRES_PORT=
_pg_bin=

# Sets _pg_bin to the folder of initdb and pg_ctl (newest version first), or returns 1.
find_postgres_binaries() {
    local dir
    _pg_bin=
    # Debian's folders by version, newest first, then the usual places of a build from source or a package.
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4,4 -rn) /usr/local/pgsql/bin /usr/local/bin /usr/bin; do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            _pg_bin=$dir
            break
        fi
    done
    if [ -z "$_pg_bin" ]; then
        local found
        found=$(command -v pg_ctl 2>/dev/null || true)
        [ -n "$found" ] && [ -x "${found%/*}/initdb" ] && _pg_bin=${found%/*}
    fi
    [ -n "$_pg_bin" ]
}

# Runs a command as the cluster's owner: postgres when this is root (PostgreSQL refuses to run as root), else as is.
_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start_private_postgres() {
    find_postgres_binaries || return 1
    PRIVATE_POSTGRES_DIR=$(mktemp -d "${TMPDIR:-/tmp}/backprop-postgres.XXXXXX")
    chmod 700 "$PRIVATE_POSTGRES_DIR"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres "$PRIVATE_POSTGRES_DIR"
    fi
    if ! _as_owner "$_pg_bin/initdb" -A trust -U postgres -E UTF8 --locale=C -D "$PRIVATE_POSTGRES_DIR/data" >"$PRIVATE_POSTGRES_DIR/initdb.log" 2>&1; then
        cat "$PRIVATE_POSTGRES_DIR/initdb.log" >&2
        return 2
    fi
    # Everyone is trusted on this private cluster but one role, which must give its password over TCP: the tests of
    # passwords (URL parameter, PGPASSWORD, ~/.pgpass) log in as it.
    { echo "host all backprop_tester_password 127.0.0.1/32 scram-sha-256"; cat "$PRIVATE_POSTGRES_DIR/data/pg_hba.conf"; } \
        >"$PRIVATE_POSTGRES_DIR/pg_hba.conf.new"
    _as_owner cp "$PRIVATE_POSTGRES_DIR/pg_hba.conf.new" "$PRIVATE_POSTGRES_DIR/data/pg_hba.conf"
    local port attempt
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        port=$((20000 + RANDOM % 40000))
        # Something answers there already: try another port.
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            continue
        fi
        if _as_owner "$_pg_bin/pg_ctl" -D "$PRIVATE_POSTGRES_DIR/data" -l "$PRIVATE_POSTGRES_DIR/server.log" -w -t 60 \
                -o "-p $port -k $PRIVATE_POSTGRES_DIR -c listen_addresses=127.0.0.1 -c max_connections=200 $*" start >/dev/null 2>&1; then
            PRIVATE_POSTGRES_URL="jdbc:postgresql://127.0.0.1:$port/postgres?user=postgres"
            PRIVATE_POSTGRES_PORT=$port
            return 0
        fi
    done
    cat "$PRIVATE_POSTGRES_DIR/server.log" >&2 || true
    return 2
}

stop_private_postgres() {
    if [ -n "$PRIVATE_POSTGRES_DIR" ] && [ -d "$PRIVATE_POSTGRES_DIR/data" ]; then
        _as_owner "$_pg_bin/pg_ctl" -D "$PRIVATE_POSTGRES_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "$PRIVATE_POSTGRES_DIR" ]; then
        rm -rf "$PRIVATE_POSTGRES_DIR"
    fi
    PRIVATE_POSTGRES_DIR=
}
