#!/usr/bin/env bash
# Follows docs/deploy.md ("Several servers: scale-out") from scratch on this machine, then checks it.
#
#   deploy/scaleout.sh            up, smoke checks, down (what CI runs through tests/operations/test_scaleout.py)
#   deploy/scaleout.sh up         steps 1–8 of the document; leaves gunicorn running
#   deploy/scaleout.sh smoke      HTTP and headless-Chromium smoke checks against the running setup
#   deploy/scaleout.sh down       stops gunicorn, drops the database, empties the Redis database, removes files
#
# Settings (environment): SCALEOUT_PORT (8201), SCALEOUT_DB (yimen_scaleout), SCALEOUT_REDIS_URL
# (redis://127.0.0.1:6379/5), SCALEOUT_RATELIMIT_REDIS_URL (the next database), SCALEOUT_DIR (/tmp/yimen-scaleout), SCALEOUT_WORKERS (3),
# SCALEOUT_ITEMS (0: the demo catalog; N: a generated catalog of N items, bench/generate_catalog.py),
# POSTGRES_ADMIN_URL (postgres://postgres@127.0.0.1:5432/postgres). The Redis database and the
# PostgreSQL database named here are emptied: give each concurrent run its own.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
PORT="${SCALEOUT_PORT:-8201}"
DB="${SCALEOUT_DB:-yimen_scaleout}"
REDIS_URL_="${SCALEOUT_REDIS_URL:-redis://127.0.0.1:6379/5}"
# The rate-limit counters' own Redis database (REDIS_RATELIMIT_URL, docs/deploy.md): the next number.
RATELIMIT_URL_="${SCALEOUT_RATELIMIT_REDIS_URL:-${REDIS_URL_%/*}/$(( ${REDIS_URL_##*/} + 1 ))}"
DIR="${SCALEOUT_DIR:-/tmp/yimen-scaleout}"
WORKERS="${SCALEOUT_WORKERS:-3}"
ITEMS="${SCALEOUT_ITEMS:-0}"
PG_ADMIN="${POSTGRES_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
PG_BASE="${PG_ADMIN%/*}"

say() { printf '\033[1m==> %s %s\033[0m\n' "$(date +%T)" "$*" >&2; }
fail() { printf '扩容部署检查失败：%s\n' "$*" >&2; exit 1; }

[[ "$DB" =~ ^[a-z0-9_]+$ ]] || fail "SCALEOUT_DB 只能含小写字母、数字和下划线：$DB"
[ -x "$PY" ] || fail "缺少 .venv：先运行 ./yimen test 或 ./yimen start 安装依赖"

# The environment every portal process of this setup gets (docs/deploy.md, step 3).
environment() {
  cat <<EOF
DJANGO_SETTINGS_MODULE=portal.settings.production
SECRET_KEY=$(cat "$DIR/secret_key")
ALLOWED_HOSTS=127.0.0.1,localhost
CSRF_TRUSTED_ORIGINS=http://127.0.0.1:$PORT
DATABASE_URL=$PG_BASE/$DB
DB_CONN_MAX_AGE=60
REDIS_URL=$REDIS_URL_
REDIS_RATELIMIT_URL=$RATELIMIT_URL_
YIMEN_SEARCH_BACKEND=postgres
YIMEN_VAR_DIR=$DIR/node
MEDIA_ROOT=$DIR/shared/media
YIMEN_SERVE_MEDIA=1
YIMEN_PRINT_DIR=$DIR/shared/print
COMPLAINTS_ATTACHMENT_ROOT=$DIR/shared/private/complaints
JIEBA_CACHE_DIR=$DIR/node
YIMEN_RATE_COMPLAINT=${YIMEN_RATE_COMPLAINT:-100000/m}
YIMEN_RATE_RATING=${YIMEN_RATE_RATING:-100000/m}
YIMEN_RATE_TRACK=${YIMEN_RATE_TRACK:-100000/m}
EOF
}

load_env() {
  set -a
  # shellcheck disable=SC1091
  . "$DIR/env"
  set +a
}

psql_admin() { psql "$PG_ADMIN" -v ON_ERROR_STOP=1 -qAt "$@"; }

cmd_up() {
  say "1. 前提：PostgreSQL、Redis、Python 依赖"
  pg_isready -d "$PG_ADMIN" -q || fail "PostgreSQL 未运行（$PG_ADMIN）"
  "$PY" -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).ping()" "$REDIS_URL_" || fail "Redis 未运行（$REDIS_URL_）"
  if [ -f "$DIR/gunicorn.pid" ]; then cmd_down; fi

  say "2. 全新的数据库 $DB、清空 Redis 库 ${REDIS_URL_##*/}、共享目录"
  psql_admin -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" -c "CREATE DATABASE \"$DB\""
  "$PY" -c "import redis, sys; [redis.Redis.from_url(url).flushdb() for url in sys.argv[1:]]" "$REDIS_URL_" "$RATELIMIT_URL_"
  rm -rf "$DIR"
  # Public media for the web server; the node's data and the complaint attachments for the portal's user only.
  mkdir -p "$DIR/shared/media" "$DIR/shared/print"
  mkdir -p -m 700 "$DIR/node" "$DIR/shared/private" "$DIR/shared/private/complaints"
  chmod 700 "$DIR/shared/private"
  "$PY" -c "import secrets; print(secrets.token_urlsafe(60))" >"$DIR/secret_key"
  chmod 600 "$DIR/secret_key"

  say "3. 环境变量（$DIR/env）"
  environment >"$DIR/env"
  chmod 600 "$DIR/env"
  load_env
  export LOG_LEVEL=WARNING  # the commands below; gunicorn's processes log at INFO

  say "4. 部署检查（manage.py check --deploy）"
  "$PY" manage.py check --deploy --fail-level WARNING

  say "5. 静态文件（collectstatic，带哈希的文件名与压缩副本）"
  "$PY" manage.py collectstatic --no-input -v0

  say "6. 数据库迁移"
  "$PY" manage.py migrate --no-input -v0

  if [ "$ITEMS" -gt 0 ]; then
    say "7. 导入 $ITEMS 个事项的目录（bench/generate_catalog.py）并建立搜索索引"
    "$PY" bench/generate_catalog.py "$ITEMS" "$DIR/catalog/catalog-$ITEMS.json" >/dev/null
    "$PY" manage.py load_demo >/dev/null
    "$PY" manage.py import_catalog --no-progress "$DIR/catalog/catalog-$ITEMS.json"
  else
    say "7. 导入演示目录并建立搜索索引（load_demo）"
    "$PY" manage.py load_demo >/dev/null
  fi

  say "8. 启动 gunicorn：$WORKERS 个进程，127.0.0.1:$PORT"
  LOG_LEVEL=INFO GUNICORN_BIND="127.0.0.1:$PORT" WEB_CONCURRENCY="$WORKERS" \
    "$ROOT/.venv/bin/gunicorn" -c deploy/gunicorn.conf.py --daemon --pid "$DIR/gunicorn.pid" \
    --access-logfile "$DIR/access.log" --error-logfile "$DIR/error.log"
  for _ in $(seq 60); do
    if curl -fs -o /dev/null -H "X-Forwarded-Proto: https" "http://127.0.0.1:$PORT/healthz"; then
      say "运行中：http://127.0.0.1:$PORT（日志 $DIR/error.log、$DIR/access.log）"
      return 0
    fi
    sleep 1
  done
  tail -n 40 "$DIR/error.log" >&2 || true
  fail "gunicorn 60 秒内没有通过健康检查"
}

cmd_smoke() {
  [ -f "$DIR/env" ] || fail "没有运行中的部署：先运行 deploy/scaleout.sh up"
  load_env
  say "9. 冒烟检查：HTTP 与无头 Chromium"
  "$PY" -m deploy.smoke "http://127.0.0.1:$PORT"
}

cmd_down() {
  say "停止并清理"
  if [ -f "$DIR/gunicorn.pid" ]; then
    pid=$(cat "$DIR/gunicorn.pid")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$DIR/gunicorn.pid"
  fi
  psql_admin -c "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" || true
  "$PY" -c "import redis, sys; [redis.Redis.from_url(url).flushdb() for url in sys.argv[1:]]" "$REDIS_URL_" "$RATELIMIT_URL_" || true
  if [ -z "${SCALEOUT_KEEP_FILES:-}" ]; then rm -rf "$DIR"; fi
}

case "${1:-all}" in
  up) cmd_up ;;
  smoke) cmd_smoke ;;
  down) cmd_down ;;
  all)
    trap cmd_down EXIT
    cmd_up
    cmd_smoke
    ;;
  *) echo "用法：deploy/scaleout.sh [up|smoke|down|all]" >&2; exit 2 ;;
esac
