#!/usr/bin/env bash
# Starts the local services the test suites use, when installed and not running, and waits until they listen.
# Idempotent. The connector tests need NATS with JetStream on 4222 and RabbitMQ on 5672 (guest/guest).
set -u
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_for() { # name port seconds
  for _ in $(seq 1 "$3"); do port_open "$2" && return 0; sleep 1; done
  echo "services: $1 did not start listening on 127.0.0.1:$2 within $3 s" >&2
}

if command -v pg_ctlcluster >/dev/null 2>&1; then
  pg_version=$(ls /etc/postgresql | head -1)
  if ! port_open 5432; then
    pg_ctlcluster --skip-systemctl-redirect "$pg_version" main start || true
    wait_for PostgreSQL 5432 30
  fi
  # The store-postgres tests connect as postgres without a password on 127.0.0.1 (trust, as on the
  # development machines); a fresh Debian install asks for a password there, so it is opened up once.
  if ! psql -w -h 127.0.0.1 -U postgres -d postgres -Atc 'SELECT 1' >/dev/null 2>&1; then
    hba=/etc/postgresql/$pg_version/main/pg_hba.conf
    sed -i -E 's#^(host[[:space:]]+all[[:space:]]+all[[:space:]]+(127\.0\.0\.1/32|::1/128)[[:space:]]+)[a-z0-9-]+#\1trust#' "$hba"
    pg_ctlcluster --skip-systemctl-redirect "$pg_version" main reload || true
  fi
fi

nats_server=$(command -v nats-server 2>/dev/null || echo /usr/sbin/nats-server)
if ! port_open 4222 && [ -x "$nats_server" ]; then
  mkdir -p /var/lib/nats-server
  start-stop-daemon --start --oknodo --background --exec "$nats_server" -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log || true
  wait_for NATS 4222 30
fi

if ! port_open 5672 && command -v rabbitmq-server >/dev/null 2>&1; then
  rabbitmq-server -detached || true
  wait_for RabbitMQ 5672 90
fi
exit 0
