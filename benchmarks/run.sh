#!/usr/bin/env bash
# City-scale load benchmark: for each database, migrate a fresh DB, generate 25,000 staff with 10 years of
# transfers, start gunicorn on 127.0.0.1, run locust headless, print p50/p95 per endpoint and append them to
# benchmarks/results/latest.md. See benchmarks/README.md.
#
#   bash benchmarks/run.sh                 # SQLite, then PostgreSQL (DATABASE_URL if it is postgres://…,
#                                          # else a throwaway local cluster when PostgreSQL 15 is installed)
#   bash benchmarks/run.sh sqlite          # only SQLite
#   bash benchmarks/run.sh postgres        # only PostgreSQL
#
# Knobs (environment): BENCH_EMPLOYEES (25000) BENCH_SEED (1) BENCH_USERS (16) BENCH_RUN_TIME (60s)
#   BENCH_WAIT ("1,2" seconds of think time) BENCH_PORT (a free port) BENCH_PG_PORT (54329) BENCH_WORKERS (2)
#   PG_BIN (/usr/lib/postgresql/15/bin) BENCH_RESULTS (benchmarks/results/latest.md)
#   BENCH_KEEP=1 keeps the temporary directory (databases, logs, CSVs).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=.venv/bin/python
LOCUST=.venv/bin/locust
EMPLOYEES=${BENCH_EMPLOYEES:-25000}
SEED=${BENCH_SEED:-1}
USERS=${BENCH_USERS:-16}
RUN_TIME=${BENCH_RUN_TIME:-60s}
PORT=${BENCH_PORT:-$(.venv/bin/python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")}
PG_PORT=${BENCH_PG_PORT:-54329}
WORKERS=${BENCH_WORKERS:-2}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
RESULTS=${BENCH_RESULTS:-benchmarks/results/latest.md}
HOST=127.0.0.1  # loopback only: nothing here listens on another interface

export DJANGO_SETTINGS_MODULE=config.settings.bench
export BENCH_WAIT=${BENCH_WAIT:-1,2}
EXTERNAL_DATABASE_URL=${DATABASE_URL:-}
unset DATABASE_URL

WORK=$(mktemp -d /tmp/dxtalent-bench.XXXXXX)
chmod 711 "$WORK"
GUNICORN_PID=""
PG_STARTED=""
PG_URL=""

as_postgres() {  # PostgreSQL refuses to run as root
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  if [ -n "$GUNICORN_PID" ]; then kill "$GUNICORN_PID" 2>/dev/null || true; wait "$GUNICORN_PID" 2>/dev/null || true; fi
  if [ -n "$PG_STARTED" ]; then as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pgdata" -m fast -w stop >/dev/null 2>&1 || true; fi
  if [ "${BENCH_KEEP:-0}" = 1 ]; then echo "kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

start_local_postgres() {
  mkdir -p "$WORK/pgdata"
  if [ "$(id -u)" = 0 ]; then chown postgres "$WORK/pgdata"; fi
  as_postgres "$PG_BIN/initdb" -D "$WORK/pgdata" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pgdata" -l "$WORK/pgdata/server.log" -w \
    -o "-p $PG_PORT -c listen_addresses=$HOST -k $WORK/pgdata" start >/dev/null
  PG_STARTED=1
  as_postgres "$PG_BIN/createdb" -h "$HOST" -p "$PG_PORT" -U postgres dxtalent_bench
  PG_URL="postgres://postgres@$HOST:$PG_PORT/dxtalent_bench"
}

wait_for_server() {  # our gunicorn must be alive and answering (not some other server on the port)
  for _ in $(seq 1 120); do
    kill -0 "$GUNICORN_PID" 2>/dev/null || break
    if $PY - "$1" <<'EOF' 2>/dev/null; then return 0; fi
import sys, urllib.request
urllib.request.urlopen(sys.argv[1] + "/accounts/login/", timeout=2)
EOF
    sleep 0.5
  done
  echo "gunicorn did not start (is port $PORT free?):" >&2
  cat "$WORK/gunicorn.log" >&2
  return 1
}

bench_one() {  # $1 = label (sqlite|postgres); DATABASE_URL is exported by the caller
  local label=$1 started gen_seconds size user csv
  echo "== $label: migrate a fresh database"
  $PY manage.py migrate --noinput -v0
  echo "== $label: generate_scale_data --employees $EMPLOYEES --seed $SEED"
  started=$(date +%s.%N)
  $PY manage.py generate_scale_data --employees "$EMPLOYEES" --seed "$SEED" | tee "$WORK/$label-generate.log"
  gen_seconds=$($PY -c "print(f'{$(date +%s.%N) - $started:.0f}')")
  size=$($PY manage.py shell -v 0 -c "
from django.db import connection
with connection.cursor() as c:
    if connection.vendor == 'postgresql':
        c.execute('select pg_database_size(current_database())')
    else:
        c.execute('pragma wal_checkpoint(truncate)'); c.fetchall()
        c.execute('select page_count * page_size from pragma_page_count(), pragma_page_size()')
    print(f'{c.fetchone()[0] / 1024 / 1024:.0f} MB')
")
  $PY manage.py collectstatic --noinput -v0
  user=$($PY manage.py demo_logins --username-for secretariat)

  echo "== $label: gunicorn on $HOST:$PORT ($WORKERS workers), locust $USERS users for $RUN_TIME"
  $PY -m gunicorn config.wsgi --no-control-socket --workers "$WORKERS" --bind "$HOST:$PORT" \
    >"$WORK/gunicorn.log" 2>&1 &
  GUNICORN_PID=$!
  wait_for_server "http://$HOST:$PORT"
  csv="$WORK/$label"
  export BENCH_LOADAVG
  BENCH_LOADAVG=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
  BENCH_USERNAME=$user $LOCUST -f benchmarks/locustfile.py --headless --only-summary \
    -u "$USERS" -r "$USERS" --run-time "$RUN_TIME" --host "http://$HOST:$PORT" --csv "$csv" \
    >"$WORK/$label-locust.log" 2>&1 || true  # locust exits 1 when any request failed; the table shows it
  kill "$GUNICORN_PID"; wait "$GUNICORN_PID" 2>/dev/null || true
  GUNICORN_PID=""

  $PY - "$csv"_stats.csv "$label" "$gen_seconds" "$size" "$RESULTS" <<'EOF'
import csv, datetime, os, platform, subprocess, sys

stats, label, gen_seconds, size, results = sys.argv[1:]
rows = list(csv.DictReader(open(stats, encoding="utf-8")))
if not any(int(r["Request Count"]) for r in rows if r["Name"] != "Aggregated"):
    sys.exit(f"locust made no requests: see {stats.replace('_stats.csv', '-locust.log')}")
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
dirty = subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True).stdout.strip()
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
env = os.environ
lines = [
    f"## {label} — {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}",
    "",
    f"commit `{commit}{'+dirty' if dirty else ''}`, {os.cpu_count()} CPU ({cpu}), "
    f"{env.get('BENCH_EMPLOYEES', '25000')} staff (seed {env.get('BENCH_SEED', '1')}), "
    f"generate_scale_data {gen_seconds} s, database {size}, gunicorn {env.get('BENCH_WORKERS', '2')} sync workers, "
    f"locust {env.get('BENCH_USERS', '16')} users × {env.get('BENCH_RUN_TIME', '60s')} on the same machine, "
    f"think time {env.get('BENCH_WAIT')} s, load average before the run {env.get('BENCH_LOADAVG', '?')}",
    "",
    "| endpoint | requests | failures | p50 ms | p95 ms | p99 ms | max ms |",
    "|---|---:|---:|---:|---:|---:|---:|",
]
for r in rows:
    name = "**all**" if r["Name"] == "Aggregated" else r["Name"]
    lines.append(
        f"| {name} | {r['Request Count']} | {r['Failure Count']} | {r['50%']} | {r['95%']} | {r['99%']} "
        f"| {float(r['Max Response Time']):.0f} |"
    )
failures = stats.replace("_stats.csv", "_failures.csv")
if os.path.exists(failures):
    fails = list(csv.DictReader(open(failures, encoding="utf-8")))
    if fails:
        lines += ["", "failures:"] + [f"- {f['Name']}: {f['Error']} × {f['Occurrences']}" for f in fails]
text = "\n".join(lines) + "\n\n"
print(text)
with open(results, "a", encoding="utf-8") as fh:
    fh.write(text)
EOF
}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(sqlite)
  if [[ "$EXTERNAL_DATABASE_URL" == postgres* ]] || [ -x "$PG_BIN/initdb" ]; then targets+=(postgres); fi
fi
[ -f "$RESULTS" ] || printf '# Benchmark results\n\nAppended by `benchmarks/run.sh`; newest at the bottom.\n\n' >"$RESULTS"

for target in "${targets[@]}"; do
  case "$target" in
    sqlite)
      export DATABASE_URL="sqlite:///$WORK/bench.sqlite3"
      bench_one sqlite
      ;;
    postgres)
      if [[ "$EXTERNAL_DATABASE_URL" == postgres* ]]; then
        export DATABASE_URL=$EXTERNAL_DATABASE_URL
      else
        start_local_postgres
        export DATABASE_URL=$PG_URL
      fi
      bench_one postgres
      ;;
    *) echo "unknown target: $target (sqlite|postgres)" >&2; exit 2 ;;
  esac
done
echo "results appended to $RESULTS"
