"""Dumping and restoring the database, each way all or nothing.

Three methods, recorded in the manifest:
- "sqlite-backup": SQLite's online backup API copies a consistent snapshot while the site runs, and
  restore copies the snapshot back over the live database in one step (one write transaction: other
  connections see either the old database or the restored one).
- "pg_dump": PostgreSQL's own custom-format dump, taken in one snapshot; restore runs pg_restore's
  script through psql in a single transaction that first empties the schema, so any error rolls
  back to the database as it was. Needs the client tools of the server's major version.
- "django-json": Django's dumpdata/loaddata inside one transaction, for a PostgreSQL server whose
  client tools are missing. Slower and needs the same migrations on both sides.
"""

import json
import os
import re
import shutil
import sqlite3
import subprocess  # noqa: S404 - runs the PostgreSQL client tools with arguments, never a shell
import tempfile
from pathlib import Path

from django import db
from django.apps import apps
from django.core.management import CommandError, call_command
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
JSON_FILE = "database.json"


class DatabaseError(Exception):
    """A dump or restore that could not be done; the message is for the operator, in Chinese."""


def vendor():
    return connection.vendor


def applied_migrations():
    """Applied migrations as sorted "app.name" strings, read from the database itself."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


# ---- PostgreSQL client tools ----


def server_major():
    connection.ensure_connection()
    return connection.pg_version // 10000


def _tool_major(path):
    result = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    found = re.search(r"(\d+)(?:\.\d+)?", result.stdout)
    return int(found.group(1)) if found else 0


def find_tool(name):
    """The client tool for the server's major version: Debian's versioned copy first, then PATH.

    pg_dump refuses servers newer than itself, and a newer pg_dump may write statements an older
    server does not know; the same major version is what the PostgreSQL documentation recommends.
    """
    major = server_major()
    candidates = [f"/usr/lib/postgresql/{major}/bin/{name}", shutil.which(name)]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK) and _tool_major(candidate) == major:
            return candidate
    return None


def _pg_env():
    settings = connection.settings_dict
    env = dict(os.environ)
    for key, value in (
        ("PGHOST", settings.get("HOST")),
        ("PGPORT", str(settings.get("PORT") or "")),
        ("PGUSER", settings.get("USER")),
        ("PGPASSWORD", settings.get("PASSWORD")),
        ("PGDATABASE", settings["NAME"]),
    ):
        if value:
            env[key] = value
    sslmode = (settings.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def _run(args, **kwargs):
    result = subprocess.run(args, capture_output=True, env=_pg_env(), check=False, **kwargs)  # noqa: S603
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip()[-2000:]
        raise DatabaseError(f"{Path(args[0]).name} 失败（退出码 {result.returncode}）：{detail}")
    return result


# ---- Dump ----


def dump(folder, method="auto"):
    """Write the database into `folder`; returns the manifest's "database" section (file name included)."""
    folder = Path(folder)
    kind = vendor()
    if kind == "sqlite" and method == "auto":
        return _dump_sqlite(folder / SQLITE_FILE)
    if kind == "postgresql" and method == "auto":
        pg_dump = find_tool("pg_dump")
        if pg_dump:
            return _dump_pg(pg_dump, folder / PG_FILE)
    if kind in ("sqlite", "postgresql"):
        return _dump_json(folder / JSON_FILE)
    raise DatabaseError(f"不支持备份 {kind} 数据库，只支持 SQLite 和 PostgreSQL。")


def _dump_sqlite(path):
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        # One step (pages=-1): the copy is a single consistent snapshot even while the site writes.
        connection.connection.backup(target)
        # A self-contained file: no -wal/-shm companions to lose.
        target.execute("PRAGMA journal_mode=DELETE")
        ok = target.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        target.close()
    if ok != "ok":
        raise DatabaseError(f"SQLite 数据库副本未通过完整性检查：{ok}")
    return {
        "vendor": "sqlite",
        "method": "sqlite-backup",
        "file": SQLITE_FILE,
        "server_version": sqlite3.sqlite_version,
    }


def _dump_pg(pg_dump, path):
    # --no-owner/--no-privileges: the dump can be restored by the site's own database user anywhere.
    _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"])
    return {
        "vendor": "postgresql",
        "method": "pg_dump",
        "file": PG_FILE,
        "server_version": str(connection.pg_version),
        "tool": _run([pg_dump, "--version"]).stdout.decode().strip(),
    }


def _dump_json(path):
    with transaction.atomic():
        if vendor() == "postgresql":
            # Every table read in one snapshot, as pg_dump would.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        # Models without a table here: unmanaged ones (the catalog import permission holder) and those
        # whose table only one database vendor has (search entries live in PostgreSQL only).
        tables = set(connection.introspection.table_names())
        tableless = [m._meta.label for m in apps.get_models() if not m._meta.managed or m._meta.db_table not in tables]
        # Content types and permissions first: loading a page refers to them, and a missing one would
        # be created on the fly under another id.
        first = ["contenttypes", "auth"]
        labels = first + [c.label for c in apps.get_app_configs() if c.models_module and c.label not in first]
        call_command("dumpdata", *labels, output=str(path), verbosity=0, exclude=tableless)
    return {"vendor": vendor(), "method": "django-json", "file": JSON_FILE, "server_version": _server_version()}


def _server_version():
    return sqlite3.sqlite_version if vendor() == "sqlite" else str(connection.pg_version)


# ---- Reading a dump ----


def column_values(folder, section, model, field_name):
    """The non-empty values of one model field in every row of the dump described by `section`."""
    path = Path(folder) / section["file"]
    table, column = model._meta.db_table, model._meta.get_field(field_name).column
    method = section["method"]
    if method == "sqlite-backup":
        probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = probe.execute(f'SELECT "{column}" FROM "{table}"').fetchall()  # noqa: S608 - names from the model
        finally:
            probe.close()
        values = [row[0] for row in rows]
    elif method == "pg_dump":
        values = _copy_column(
            _run([find_tool("pg_restore"), "--data-only", f"--table={table}", "--file=-", str(path)]).stdout,
            table,
            column,
        )
    elif method == "django-json":
        label = model._meta.label_lower
        with path.open(encoding="utf-8") as reader:
            values = [item["fields"].get(field_name) for item in json.load(reader) if item.get("model") == label]
    else:
        raise DatabaseError(f"未知的数据库备份方式：{method}")
    return [value for value in values if value]


_COPY_ESCAPES = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def _copy_column(script, table, column):
    """One column of a table's rows in pg_restore's COPY ... FROM stdin text format."""
    lines = script.decode("utf-8").split("\n")
    header = re.compile(rf'^COPY (?:[\w"]+\.)?"?{re.escape(table)}"? \((.*)\) FROM stdin;$')
    values = []
    for number, line in enumerate(lines):
        found = header.match(line)
        if not found:
            continue
        index = [name.strip().strip('"') for name in found.group(1).split(",")].index(column)
        for row in lines[number + 1 :]:
            if row == "\\.":
                break
            field = row.split("\t")[index]
            values.append(
                None if field == "\\N" else re.sub(r"\\(.)", lambda m: _COPY_ESCAPES.get(m.group(1), m.group(1)), field)
            )
    return values


# ---- Checks before a restore ----


def check_file(path, method):
    """Problems that make this database file unusable, found without touching the live database."""
    if method == "sqlite-backup":
        try:
            probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                ok = probe.execute("PRAGMA integrity_check").fetchone()[0]
                probe.execute("SELECT count(*) FROM django_migrations").fetchone()
            finally:
                probe.close()
        except sqlite3.DatabaseError as exc:
            return [f"数据库文件无法打开：{exc}"]
        return [] if ok == "ok" else [f"数据库文件未通过完整性检查：{ok}"]
    if method == "pg_dump":
        pg_restore = find_tool("pg_restore")
        if pg_restore is None:
            return [
                f"本机没有与数据库服务器（PostgreSQL {server_major()}）同版本的 pg_restore，请安装 postgresql-client-{server_major()}。"
            ]
        try:
            # Reading the whole archive (the script goes nowhere) checks every data block, not just the table of contents.
            _run([pg_restore, f"--file={os.devnull}", str(path)])
        except DatabaseError as exc:
            return [f"数据库转储文件无法读取：{exc}"]
        return []
    return []


# ---- Restore ----


def restore(path, method):
    """Replace the live database by the one in `path`, in one transaction; raises DatabaseError."""
    if method == "sqlite-backup":
        _restore_sqlite(path)
    elif method == "pg_dump":
        _restore_pg(path)
    elif method == "django-json":
        _restore_json(path)
    else:
        raise DatabaseError(f"未知的数据库备份方式：{method}")


def _restore_sqlite(path):
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise DatabaseError("恢复不能在数据库事务中进行。")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    except sqlite3.Error as exc:
        raise DatabaseError(f"写入 SQLite 数据库失败，数据库保持原样：{exc}") from exc
    finally:
        source.close()


def _restore_pg(path):
    pg_restore, psql = find_tool("pg_restore"), find_tool("psql")
    if not (pg_restore and psql):
        raise DatabaseError(f"本机没有与数据库服务器（PostgreSQL {server_major()}）同版本的 pg_restore 和 psql。")
    connection.close()  # our own idle session must not hold locks on the tables being dropped
    with tempfile.TemporaryDirectory(prefix="yimen-restore-") as tmp:
        # The whole script first: a pg_restore that stops halfway must not feed psql half a database.
        script = Path(tmp) / "restore.sql"
        _run([pg_restore, "--no-owner", "--no-privileges", f"--file={script}", str(path)])
        # -1 wraps the emptying of the schema and the whole script in one transaction; ON_ERROR_STOP
        # makes the first error abort it, so a failed restore leaves the database exactly as it was.
        _run(
            [
                psql, "--no-psqlrc", "--quiet", "--single-transaction", "--set=ON_ERROR_STOP=1",
                "--command=DROP SCHEMA IF EXISTS public CASCADE", "--command=CREATE SCHEMA public",
                f"--file={script}",
            ]
        )  # fmt: skip


def _restore_json(path):
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    try:
        with transaction.atomic():
            flush = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
            connection.ops.execute_sql_flush(flush)
            call_command("loaddata", str(path), verbosity=0)
    except (db.Error, DeserializationError, CommandError) as exc:
        raise DatabaseError(f"载入数据失败，数据库保持原样：{exc}") from exc
