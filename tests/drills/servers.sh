#!/bin/sh
# The servers the drills stop and start again (Redis and PostgreSQL), and the one way each is started.
#
#   sh tests/drills/servers.sh check-redis | start-redis | check-postgres | start-postgres | restart-postgres
#   sh tests/drills/servers.sh postgres-data      # the data folder of the cluster these commands act on
#   sh tests/drills/servers.sh restore            # start whichever is not answering (make drills runs it last)
#   sh tests/drills/servers.sh watch PID SERVER MARKER
#                                                 # while MARKER exists, start SERVER again if PID dies
#
# With no settings these are this machine's shared servers, started with its documented commands:
# Redis on 6379, and the newest PostgreSQL cluster under /etc/postgresql by pg_ctlcluster. To drill
# servers of your own instead (so nobody else's Redis or PostgreSQL is stopped):
#   DRILLS_REDIS_PORT  a redis-server of the drills' own on that port, its files in DRILLS_REDIS_DIR
#                      (default /tmp/drills-redis-PORT)
#   DRILLS_PGDATA      a cluster of your own (initdb), started and stopped by pg_ctl as the owner of that
#                      folder; TEST_DATABASE_URL must point at it (the drills check that it does)
# `check-*` says whether everything needed to start the server again is there; the drills run it before
# they stop anything. Every command says what went wrong on stderr and exits non-zero.

set -u

REDIS_PORT=${DRILLS_REDIS_PORT:-6379}
REDIS_DIR=${DRILLS_REDIS_DIR:-/tmp/drills-redis-$REDIS_PORT}
PGDATA_OWN=${DRILLS_PGDATA:-}

fail() {
    echo "$*" >&2
    exit 1
}

redis_pings() { # $1: port
    [ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" = PONG ]
}

redis_launch() { # $1: port. The machine's documented command for the shared Redis; the same shape for ours.
    if [ "$REDIS_PORT" = 6379 ]; then
        redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$1" --save "" --appendonly no \
            --dir /var/lib/redis --logfile /var/log/redis/ci.log
    else
        redis-server --daemonize yes --bind 127.0.0.1 --port "$1" --save "" --appendonly no \
            --dir "$REDIS_DIR" --logfile "$REDIS_DIR/redis.log"
    fi
}

wait_for() { # $1: seconds, then a command that succeeds once the server answers
    seconds=$1
    shift
    tries=$((seconds * 5))
    while [ "$tries" -gt 0 ]; do
        "$@" && return 0
        sleep 0.2
        tries=$((tries - 1))
    done
    return 1
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

check_redis() {
    command -v redis-server >/dev/null || fail "redis-server is not installed (apt-get install redis-server)"
    command -v redis-cli >/dev/null || fail "redis-cli is not installed (apt-get install redis-tools)"
    if [ "$REDIS_PORT" = 6379 ]; then
        dir=/var/lib/redis
        log=/var/log/redis/ci.log
    else
        mkdir -p "$REDIS_DIR" || fail "cannot make $REDIS_DIR for redis-server"
        dir=$REDIS_DIR
        log=$REDIS_DIR/redis.log
    fi
    [ -d "$dir" ] && [ -w "$dir" ] || fail "redis-server could not start again: $dir is missing or not writable by $(id -un)"
    touch "$log" 2>/dev/null || fail "redis-server could not start again: cannot write its log $log as $(id -un)"
    # The real proof: the very same command starts a server (on a spare port), which is then stopped.
    spare=$(free_port)
    redis_launch "$spare" >/dev/null 2>&1 || fail "redis-server could not start again: the start command failed"
    wait_for 10 redis_pings "$spare" || fail "redis-server could not start again: a trial server did not answer"
    redis-cli -h 127.0.0.1 -p "$spare" shutdown nosave >/dev/null 2>&1
    wait_for 10 sh -c "! redis-cli -h 127.0.0.1 -p $spare ping >/dev/null 2>&1"
    return 0
}

start_redis() {
    redis_pings "$REDIS_PORT" && return 0
    [ "$REDIS_PORT" = 6379 ] || mkdir -p "$REDIS_DIR"
    redis_launch "$REDIS_PORT" || fail "redis-server on $REDIS_PORT did not start"
    wait_for 20 redis_pings "$REDIS_PORT" || fail "redis-server on $REDIS_PORT did not answer after starting"
}

pg_version() { # the newest cluster's version, compared as numbers (10 after 9.6)
    ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1
}

pg_ctl_bin() {
    ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n 1
}

as_owner() { # run pg_ctl as the owner of the private data folder (PostgreSQL refuses to run as root)
    owner=$(stat -c %U "$PGDATA_OWN")
    if [ "$(id -u)" = 0 ] && [ "$owner" != root ]; then
        runuser -u "$owner" -- "$@"
    else
        "$@"
    fi
}

pg_ctl_own() { # $@: pg_ctl arguments, on the private cluster, with its log beside its data
    as_owner "$(pg_ctl_bin)" -D "$PGDATA_OWN" -l "$PGDATA_OWN/drills-server.log" "$@"
}

postgres_running() {
    if [ -n "$PGDATA_OWN" ]; then
        as_owner "$(pg_ctl_bin)" -D "$PGDATA_OWN" status >/dev/null 2>&1
    else
        pg_ctlcluster "$(pg_version)" main status >/dev/null 2>&1
    fi
}

postgres_data() {
    if [ -n "$PGDATA_OWN" ]; then
        (cd "$PGDATA_OWN" && pwd -P)
    else
        pg_lsclusters -h | awk -v v="$(pg_version)" '$1 == v && $2 == "main" { print $6 }'
    fi
}

check_postgres() {
    if [ -n "$PGDATA_OWN" ]; then
        [ -f "$PGDATA_OWN/PG_VERSION" ] || fail "DRILLS_PGDATA=$PGDATA_OWN is not a PostgreSQL data folder"
        [ -n "$(pg_ctl_bin)" ] || fail "pg_ctl is not installed (apt-get install postgresql)"
        if [ "$(id -u)" = 0 ] && [ "$(stat -c %U "$PGDATA_OWN")" != root ]; then
            command -v runuser >/dev/null || fail "runuser is missing: cannot run pg_ctl as the folder's owner"
        fi
    else
        command -v pg_ctlcluster >/dev/null || fail "pg_ctlcluster is not installed (apt-get install postgresql-common)"
        [ -n "$(pg_version)" ] || fail "no PostgreSQL cluster under /etc/postgresql"
    fi
    postgres_running || fail "PostgreSQL ($(postgres_data)) is not running, so it is not the server the drills use"
}

start_postgres() {
    postgres_running && return 0
    if [ -n "$PGDATA_OWN" ]; then
        pg_ctl_own -w start >/dev/null || fail "PostgreSQL in $PGDATA_OWN did not start"
    else
        pg_ctlcluster --skip-systemctl-redirect "$(pg_version)" main start || fail "PostgreSQL did not start"
    fi
    wait_for 60 postgres_running || fail "PostgreSQL did not come back"
}

restart_postgres() { # fast shutdown: every open transaction is rolled back
    if [ -n "$PGDATA_OWN" ]; then
        pg_ctl_own -w -m fast restart >/dev/null || fail "PostgreSQL in $PGDATA_OWN did not restart"
    else
        pg_ctlcluster --skip-systemctl-redirect "$(pg_version)" main restart || fail "PostgreSQL did not restart"
    fi
}

watch() { # $1: pid, $2: redis | postgres, $3: marker file, removed by the drill once the server is back
    while [ -e "$3" ]; do
        if ! kill -0 "$1" 2>/dev/null; then
            ("start_$2")
            rm -f "$3"
            exit
        fi
        sleep 1
    done
}

case "${1:-}" in
check-redis) check_redis ;;
start-redis) start_redis ;;
check-postgres) check_postgres ;;
start-postgres) start_postgres ;;
restart-postgres) restart_postgres ;;
postgres-data) postgres_data ;;
restore)
    status=0
    (start_redis) || status=1
    (start_postgres) || status=1
    exit $status
    ;;
watch) watch "$2" "$3" "$4" ;;
*) fail "usage: $0 check-redis|start-redis|check-postgres|start-postgres|restart-postgres|postgres-data|restore|watch" ;;
esac
