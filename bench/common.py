"""What the benchmarks share: running the portal's own commands in child processes, measured, on fresh databases."""

import datetime
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


@dataclass
class Run:
    seconds: float
    peak_rss_mib: float
    output: str


def run_command(args, env, check=True):
    """`manage.py <args>` in a child process: wall time, the child's own peak RSS, and what it printed."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [PYTHON, str(REPO / "manage.py"), *args],
        cwd=REPO,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)  # rusage of exactly this child, not of every child so far
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if check and process.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed ({process.returncode}):\n{output}")
    return Run(seconds=seconds, peak_rss_mib=usage.ru_maxrss / 1024, output=output)


def postgres_reachable(url):
    import psycopg

    try:
        with psycopg.connect(url.replace("postgres://", "postgresql://"), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


@contextmanager
def fresh_database(kind, workdir, postgres_url=DEFAULT_POSTGRES):
    """Environment variables for a brand-new, migrated portal database and var dir; dropped afterwards."""
    var_dir = Path(tempfile.mkdtemp(prefix="var-", dir=workdir))
    env = {"YIMEN_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
    name = None
    if kind == "postgresql":
        import psycopg

        name = f"yimen_bench_{uuid.uuid4().hex[:8]}"
        admin_url = postgres_url.replace("postgres://", "postgresql://")
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = postgres_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        run_command(["migrate", "-v0"], env)
        yield env
    finally:
        if name:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def machine():
    """One line about where and when the figures were taken."""
    memory = "?"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kib = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f"{total_kib / 1024 / 1024:.1f} GiB"
    cpu = platform.processor() or "?"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = [
            line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines() if line.startswith("model name")
        ]
        cpu = names[0] if names else cpu
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    return (
        f"{datetime.date.today().isoformat()}, commit {commit}, {os.cpu_count()} CPU ({cpu}), {memory} RAM, "
        f"Python {platform.python_version()}, load average {load_average()}"
    )


def load_average():
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def percentile(values, fraction):
    """The value below which `fraction` of `values` fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(fraction * len(ordered))) - 1]
