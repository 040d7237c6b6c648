"""Print speed and memory: one guide PDF, and booklets of 50, 200 and 500 guides, against a baseline.

The baseline, measured in the same run, is a one-page document with the same fonts and stylesheets
(the materials checklist of a guide): the fixed cost of any PDF. One guide is timed warm (median of
several renders in one process, as a web worker renders them) and cold (the first render of a fresh
process). Each booklet is rendered by a fresh child process with the default worker processes; its
peak memory is the largest sum of the resident memory of that child and all its workers, sampled
every 0.1 s. Per-guide times of the booklets are compared with the 50-guide one to show growth.

    .venv/bin/python -m bench.bench_print                        # builds a 500-item database first
    .venv/bin/python -m bench.bench_print --var-dir /tmp/bp --keep --sizes 50 200

Targets: one guide under 1 s; a 500-guide booklet under 3 minutes and 2 GiB, growing linearly.
"""

import argparse
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from pypdf import PdfReader

from bench.common import PYTHON, REPO, load_average, machine, run_command
from bench.generate_catalog import write

TARGET_GUIDE_S = 1.0
TARGET_BOOKLET_S = 180
TARGET_BOOKLET_MIB = 2048
HALL = "LY-SD"


def prepare(var_dir, items):
    """A migrated SQLite database in `var_dir` holding a generated catalog of `items` items (kept if present)."""
    env = {"YIMEN_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
    if (var_dir / "db.sqlite3").exists():
        print(f"Reusing the database in {var_dir}")
        return
    run_command(["migrate", "-v0"], env)
    catalog = write(items, var_dir / "catalog" / f"catalog-{items}.json")
    run = run_command(["import_catalog", "--no-progress", str(catalog)], env)
    print(f"Imported {items} items: {run.output.strip().splitlines()[-1]}")


def setup_django(var_dir):
    os.environ["YIMEN_VAR_DIR"] = str(var_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django

    django.setup()


def first_guides_scope(count):
    """A booklet laid out as LY-SD's hall booklet (window by window) holding the first `count` guides of
    the catalog; guides not handled at LY-SD close it under 其他事项."""
    from content.models import HallPage
    from exports.printing.booklets import BookletScope
    from exports.printing.guides import printable_guides

    class FirstGuides(BookletScope):
        def guides(self):
            return list(printable_guides().order_by("code")[:count])

    return FirstGuides(hall=HallPage.objects.get(code=HALL))


def one_booklet(count, output):
    """Child-process entry: render one booklet and print its figures as JSON."""
    from exports.printing.booklets import render_booklet

    started = time.perf_counter()
    result = render_booklet(first_guides_scope(count), output)
    print(
        json.dumps({"seconds": time.perf_counter() - started, "guides": result.guide_count, "pages": result.page_count})
    )


class TreeMemory:
    """Peak of the summed resident memory of a process and all its descendants, sampled from /proc."""

    def __init__(self, pid):
        self.pid = pid
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _sample(self):
        while not self._stop.is_set():
            self.peak_kib = max(self.peak_kib, self._tree_kib())
            time.sleep(0.1)

    def _tree_kib(self):
        parents = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                    parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
        tree, frontier = {self.pid}, [self.pid]
        while frontier:
            parent = frontier.pop()
            for pid, ppid in parents.items():
                if ppid == parent and pid not in tree:
                    tree.add(pid)
                    frontier.append(pid)
        total = 0
        for pid in tree:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                continue
        return total


def measure_booklet(count, var_dir, workdir):
    output = Path(workdir) / f"booklet-{count}.pdf"
    env = {**os.environ, "YIMEN_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "bench.settings"}
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603
        [PYTHON, "-m", "bench.bench_print", "--one-booklet", str(count), str(output)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    with TreeMemory(process.pid) as memory:
        out, err = process.communicate()
    wall = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"booklet of {count} failed:\n{err}")
    figures = json.loads(out.strip().splitlines()[-1])
    return {**figures, "wall": wall, "peak_mib": memory.peak_kib / 1024, "size_mib": output.stat().st_size / 2**20}


def guide_timings(rounds):
    from content.models import ServicePage
    from exports.printing.documents import checklist_pdf, portal_settings, render_guide_pdf

    portal = portal_settings()
    page = ServicePage.objects.live().order_by("code").first()
    started = time.perf_counter()
    pages = render_guide_pdf(page, portal)
    cold = time.perf_counter() - started
    baseline, warm = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        checklist_pdf(page)
        baseline.append(time.perf_counter() - started)
        started = time.perf_counter()
        render_guide_pdf(page, portal)
        warm.append(time.perf_counter() - started)
    return {
        "code": page.code,
        "pages": len(PdfReader(io.BytesIO(pages)).pages),
        "cold": cold,
        "warm": statistics.median(warm),
        "baseline": statistics.median(baseline),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 500])
    parser.add_argument("--rounds", type=int, default=7, help="warm renders of one guide (median)")
    parser.add_argument("--var-dir", type=Path, help="database to build or reuse (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the database for the next run")
    parser.add_argument("--one-booklet", nargs=2, metavar=("COUNT", "OUTPUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one_booklet:
        import django

        django.setup()
        one_booklet(int(args.one_booklet[0]), args.one_booklet[1])
        return

    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="yimen-bench-print-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    workdir = tempfile.mkdtemp(prefix="yimen-bench-pdf-")
    try:
        prepare(var_dir, max(args.sizes))
        setup_django(var_dir)
        print(machine())
        guide = guide_timings(args.rounds)
        print(
            f"\nOne guide ({guide['code']}, {guide['pages']} pages): warm {guide['warm']:.2f} s (median of {args.rounds}), "
            f"cold {guide['cold']:.2f} s; baseline one-page checklist {guide['baseline']:.2f} s; "
            f"ratio {guide['warm'] / guide['baseline']:.1f}×; target < {TARGET_GUIDE_S:.0f} s: "
            f"{'met' if guide['warm'] < TARGET_GUIDE_S else 'MISSED'}"
        )
        print("\n| guides | pages | time | s per guide | vs 50 | peak memory (all processes) | file |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        first = None
        results = {}
        for size in args.sizes:
            figures = measure_booklet(size, var_dir, workdir)
            per_guide = figures["wall"] / figures["guides"]
            first = first or per_guide
            results[size] = figures
            print(
                f"| {figures['guides']} | {figures['pages']} | {figures['wall']:.1f} s | {per_guide:.2f} | "
                f"{per_guide / first:.2f}× | {figures['peak_mib']:.0f} MiB | {figures['size_mib']:.1f} MiB |",
                flush=True,
            )
        largest = results[max(results)]
        print(
            f"\nLargest booklet: {largest['wall']:.0f} s (target < {TARGET_BOOKLET_S} s: "
            f"{'met' if largest['wall'] < TARGET_BOOKLET_S else 'MISSED'}), {largest['peak_mib']:.0f} MiB "
            f"(target < {TARGET_BOOKLET_MIB} MiB: {'met' if largest['peak_mib'] < TARGET_BOOKLET_MIB else 'MISSED'}); "
            f"load average after: {load_average()}"
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if not args.keep and not args.var_dir:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
