#!/usr/bin/env bash
# Makes sure Redis (127.0.0.1:6379) and PostgreSQL (127.0.0.1:5432) answer on loopback for the tests.
# Idempotent and quick when both already run. Otherwise, on Debian (as root, no TTY needed): installs the
# Debian packages redis-server / postgresql (apt-get update first), starts them bound to 127.0.0.1 only,
# and creates the test role and database (user kafkapipeline, password kafkapipeline, db kafkapipeline).
# Tests read KP_REDIS / KP_POSTGRES and default to exactly these loopback servers.
set -euo pipefail

REDIS_PORT=6379
PG_PORT=5432
PG_USER=kafkapipeline
PG_PASSWORD=kafkapipeline
PG_DB=kafkapipeline
DEADLINE_SECONDS=30

say() { echo "services.sh: $*"; }

answers() { # host port -> 0 when something accepts TCP connections there
  timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

wait_for() { # description command...
  local what=$1; shift
  local end=$((SECONDS + DEADLINE_SECONDS))
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$end" ]; then
      say "$what did not come up within ${DEADLINE_SECONDS}s"
      return 1
    fi
    sleep 0.2
  done
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else
    say "need root (or passwordless sudo) to run: $*"; return 1; fi
}

apt_updated=0
apt_install() {
  if ! command -v apt-get >/dev/null; then
    say "apt-get not found: install $* yourself (this script installs only on Debian/Ubuntu)"
    return 1
  fi
  if [ "$apt_updated" -eq 0 ]; then
    say "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    apt_updated=1
  fi
  say "apt-get install -y $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

redis_ping() { [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; }

ensure_redis() {
  if answers 127.0.0.1 "$REDIS_PORT"; then
    say "Redis already answering on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  if ! command -v redis-server >/dev/null; then
    apt_install redis-server
  fi
  if answers 127.0.0.1 "$REDIS_PORT"; then # the package's own service may have started it
    say "Redis started by its package on 127.0.0.1:$REDIS_PORT"
    return 0
  fi
  say "starting redis-server on 127.0.0.1:$REDIS_PORT (loopback only, no persistence)"
  as_root redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes --daemonize yes \
    --save "" --appendonly no --dir /tmp --logfile /tmp/kafkapipeline-redis.log
  wait_for "Redis" redis_ping
  say "Redis answering on 127.0.0.1:$REDIS_PORT"
}

pg_version() { # newest installed server major version
  ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1
}

as_postgres() { as_root runuser -u postgres -- "$@"; }

ensure_postgres_server() {
  if answers 127.0.0.1 "$PG_PORT"; then
    say "PostgreSQL already answering on 127.0.0.1:$PG_PORT"
    return 0
  fi
  if [ -z "$(pg_version)" ] || ! command -v pg_ctlcluster >/dev/null; then
    apt_install postgresql
  fi
  local version
  version=$(pg_version)
  if ! pg_lsclusters -h 2>/dev/null | awk -v v="$version" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
    say "creating PostgreSQL $version cluster 'main'"
    as_root pg_createcluster "$version" main --port "$PG_PORT"
  fi
  local conf_dir="/etc/postgresql/$version/main/conf.d"
  as_root mkdir -p "$conf_dir"
  printf "# written by KafkaPipeline scripts/services.sh: loopback only\nlisten_addresses = '127.0.0.1'\nport = %s\n" "$PG_PORT" |
    as_root tee "$conf_dir/kafkapipeline.conf" >/dev/null
  if answers 127.0.0.1 "$PG_PORT"; then # the package's own service may have started it meanwhile
    say "PostgreSQL started by its package; restarting it to apply listen_addresses='127.0.0.1'"
    as_root pg_ctlcluster "$version" main restart
  else
    say "starting PostgreSQL $version cluster 'main' on 127.0.0.1:$PG_PORT"
    as_root pg_ctlcluster "$version" main start
  fi
  wait_for "PostgreSQL" answers 127.0.0.1 "$PG_PORT"
  say "PostgreSQL answering on 127.0.0.1:$PG_PORT"
}

test_login() {
  PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=5 psql -h 127.0.0.1 -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -tAc "select 1" >/dev/null 2>&1
}

ensure_postgres_database() {
  if ! command -v psql >/dev/null; then
    say "psql not found: cannot check role '$PG_USER' / database '$PG_DB' (install postgresql-client)"
    return 1
  fi
  if test_login; then
    say "role '$PG_USER' and database '$PG_DB' ready"
    return 0
  fi
  if ! id postgres >/dev/null 2>&1; then
    say "cannot log in as '$PG_USER' and there is no local 'postgres' superuser to create it; create it yourself"
    return 1
  fi
  wait_for "PostgreSQL (local socket)" as_postgres psql -p "$PG_PORT" -tAc "select 1"
  say "creating role '$PG_USER' and database '$PG_DB' (if missing)"
  as_postgres psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -q <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_USER') THEN
    CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD';
  ELSE
    ALTER ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD';
  END IF;
END
\$\$;
SQL
  if [ "$(as_postgres psql -p "$PG_PORT" -tAc "select 1 from pg_database where datname = '$PG_DB'")" != "1" ]; then
    as_postgres psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE $PG_DB OWNER $PG_USER"
  fi
  if ! test_login; then
    say "still cannot log in as '$PG_USER' on 127.0.0.1:$PG_PORT (check pg_hba.conf allows password logins from 127.0.0.1)"
    return 1
  fi
  say "role '$PG_USER' and database '$PG_DB' ready"
}

ensure_redis
ensure_postgres_server
ensure_postgres_database
say "ready: KP_REDIS=${KP_REDIS:-127.0.0.1:$REDIS_PORT} KP_POSTGRES=${KP_POSTGRES:-Host=127.0.0.1;Port=$PG_PORT;Username=$PG_USER;Password=***;Database=$PG_DB}"
