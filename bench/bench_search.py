"""Search latency and quality at scale: Yimen's search against Wagtail's database backend, same pages, same run.

For each size, a generated catalog (bench/generate_catalog.py) is imported into a fresh SQLite portal;
the Whoosh index follows the import, Wagtail's own index is filled with `update_index`. Then, in one
child process, the 60 first queries of the relevance set (`tuned` in search/relevance/queries-tuning.json) are run three times
each (after one warm-up pass) through:

* yimen/whoosh — `search.engine.run_search`: query understanding, ranking, facets and snippets, i.e.
  everything the results page needs except the template;
* wagtail-db — `ServicePage.objects.live().search(q)[:10]`, Wagtail's built-in database backend
  (SQLite FTS5), the portal's alternative without this app;
* fts5+jieba — a bare SQLite FTS5 table of the same documents, pre-segmented with the same jieba
  code, queried with the typed words OR-ed and ranked by bm25: the fair baseline for raw speed.

and, when PostgreSQL is reachable, yimen/postgres on the largest size. Quality is the MRR of each
engine over the relevance set, counting a generated item as the demo item it was derived from.

    .venv/bin/python -m bench.bench_search                       # 1,000 and 10,000 items
    .venv/bin/python -m bench.bench_search --sizes 1000 --no-postgres

Target: yimen/whoosh p95 under 30 ms at 10,000 items.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import (
    DEFAULT_POSTGRES,
    PYTHON,
    REPO,
    fresh_database,
    load_average,
    machine,
    percentile,
    postgres_reachable,
    run_command,
)
from bench.generate_catalog import write

TARGET_P95_MS = 30
ROUNDS = 3


# Child side: measure inside one warmed-up process --------------------------------------------


def _demo_code(code, demo_codes):
    """The demo item a generated item (LY-SD-Gnnnnn, item n−1) was derived from."""
    if code.startswith("LY-SD-G"):
        return demo_codes[(int(code[7:]) - 1) % len(demo_codes)]
    return code


def _fts5_baseline(documents):
    """An in-memory FTS5 table of jieba-segmented text; returns a search(q) → [codes] function."""
    import sqlite3

    from search import text

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(code UNINDEXED, name, keywords, body)")
    db.executemany(
        "INSERT INTO docs VALUES (?, ?, ?, ?)",
        [(code, " ".join(text.analyse(name)), " ".join(text.analyse(keywords)), " ".join(text.analyse(body)))
         for code, name, keywords, body in documents],
    )  # fmt: skip

    def search(raw):
        words = [w for w in text.analyse(raw) if w.replace("-", "").isalnum()]
        if not words:
            return []
        match = " OR ".join(f'"{w}"' for w in dict.fromkeys(words))
        rows = db.execute(
            "SELECT code FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 0, 6.0, 5.0, 1.0) LIMIT 10", (match,)
        ).fetchall()
        return [code for (code,) in rows]

    return search


def measure(engines):
    import django

    django.setup()
    from content.models import ServicePage
    from search import engine as yimen
    from search.relevance import load

    demo = json.loads((REPO / "demo" / "sample-catalog.json").read_text(encoding="utf-8"))
    demo_codes = [item["code"] for item in demo["items"]]
    # The first 60 queries of the set (the tuned ones): the same sample as earlier figures were taken on.
    queries = [q for q in load("tuning", catalog="demo") if q.get("tuned")]

    runners = {}
    if "yimen" in engines:
        runners[f"yimen/{os.environ.get('YIMEN_SEARCH_BACKEND', 'whoosh')}"] = lambda q: [
            i.code for i in yimen.run_search(q, limit=10, log=False).items
        ]
    if "wagtail-db" in engines:
        runners["wagtail-db"] = lambda q: [p.code for p in ServicePage.objects.live().search(q)[:10]]
    if "fts5" in engines:
        pages = ServicePage.objects.live().prefetch_related("faqs", "materials")
        documents = [
            (p.code, p.title, p.keywords, "\n".join([p.conditions, *(f"{f.question} {f.answer}" for f in p.faqs.all()),
                                                    *(m.name for m in p.materials.all())]))
            for p in pages
        ]  # fmt: skip
        runners["fts5+jieba"] = _fts5_baseline(documents)

    results = {}
    for name, run in runners.items():
        for entry in queries:  # warm-up: caches, jieba, index files
            run(entry["query"])
        samples, reciprocal = [], []
        for round_ in range(ROUNDS):
            for entry in queries:
                started = time.perf_counter()
                found = run(entry["query"])
                samples.append((time.perf_counter() - started) * 1000)
                if round_ == 0:
                    derived = [_demo_code(code, demo_codes) for code in found]
                    rank = next((i for i, c in enumerate(derived, start=1) if c in entry["expected"]), 0)
                    reciprocal.append(1 / rank if rank else 0.0)
        results[name] = {
            "p50_ms": percentile(samples, 0.5),
            "p95_ms": percentile(samples, 0.95),
            "mrr": sum(reciprocal) / len(reciprocal),
            "queries": len(samples),
        }
    print(json.dumps(results))


# Parent side: build the portals and compare ------------------------------------------------------


def run_measurement(env, engines):
    process = subprocess.run(
        [PYTHON, "-m", "bench.bench_search", "--measure", *engines],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if process.returncode != 0:
        raise RuntimeError(process.stdout + process.stderr)
    return json.loads(process.stdout.strip().splitlines()[-1])


def bench_size(kind, n, catalog, workdir, postgres_url, engines):
    extra = {"YIMEN_SEARCH_BACKEND": "postgres"} if kind == "postgresql" else {}
    with fresh_database(kind, workdir, postgres_url) as env:
        env = {**env, **extra, "JIEBA_CACHE_DIR": env["YIMEN_VAR_DIR"]}
        imported = run_command(["import_catalog", "--no-progress", str(catalog)], env)
        rebuilt = run_command(["rebuild_search_index", "--no-progress"], env)
        if "wagtail-db" in engines:
            run_command(["update_index"], env)
        print(f"  {kind} {n}: import {imported.seconds:.1f} s, rebuild_search_index {rebuilt.seconds:.1f} s")
        return run_measurement(env, engines), rebuilt.seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="server to create throwaway databases on")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--measure", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure is not None:
        measure(args.measure)
        return

    sizes = sorted(args.sizes)
    workdir = Path(tempfile.mkdtemp(prefix="yimen-bench-search-"))
    print(f"Machine: {machine()}")
    print(f"Work dir: {workdir}")
    table = []
    for n in sizes:
        catalog = write(n, workdir / f"catalog-{n}.json")
        figures, rebuild_seconds = bench_size(
            "sqlite", n, catalog, workdir, args.postgres, ["yimen", "wagtail-db", "fts5"]
        )
        for name, row in figures.items():
            table.append((n, name, row))
        if n == sizes[-1] and not args.no_postgres and postgres_reachable(args.postgres):
            figures, _ = bench_size("postgresql", n, catalog, workdir, args.postgres, ["yimen"])
            for name, row in figures.items():
                table.append((n, name, row))
    print(f"\nLoad average after the run: {load_average()}")
    print(f"{'items':>7}  {'engine':<16} {'p50 ms':>8} {'p95 ms':>8} {'MRR':>6}")
    for n, name, row in table:
        print(f"{n:>7}  {name:<16} {row['p50_ms']:>8.2f} {row['p95_ms']:>8.2f} {row['mrr']:>6.3f}")
    for n in sizes:
        rows = {name: row for size, name, row in table if size == n}
        whoosh, wagtail, fts5 = rows["yimen/whoosh"], rows["wagtail-db"], rows["fts5+jieba"]
        print(
            f"{n} items: yimen/whoosh p95 / wagtail-db p95 = {whoosh['p95_ms'] / wagtail['p95_ms']:.2f}; "
            f"/ fts5+jieba p95 = {whoosh['p95_ms'] / fts5['p95_ms']:.2f}"
        )
    largest = {name: row for size, name, row in table if size == sizes[-1]}["yimen/whoosh"]
    verdict = "met" if largest["p95_ms"] < TARGET_P95_MS else "NOT met"
    print(f"Target p95 < {TARGET_P95_MS} ms at {sizes[-1]} items: {verdict} ({largest['p95_ms']:.1f} ms)")
    return 0 if verdict == "met" else 1


if __name__ == "__main__":
    sys.exit(main())
