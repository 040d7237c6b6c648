"""Page speed at scale: a guide and a filtered catalog with 10,000 items on SQLite, against a baseline.

Requests go through Django's test Client inside this process: the whole middleware stack, URL routing,
Wagtail's page serving and template rendering, with DEBUG off (bench/settings.py); no web server and no
network. The baseline, measured in the same run, is a 404 for an unknown address, which takes the same
path through Django and Wagtail (site lookup, page routing, the 404 template) without any catalog work.
Request kinds are interleaved, so load from other processes falls on all of them alike.

    .venv/bin/python -m bench.bench_pages                          # builds a 10,000-item database first
    .venv/bin/python -m bench.bench_pages --var-dir /tmp/b --keep  # reuse it on the next run

Targets: p95 of the guide and of the filtered catalog under 50 ms.
"""

import argparse
import os
import random
import shutil
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.common import load_average, machine, percentile, run_command
from bench.generate_catalog import write

TARGET_P95_MS = 50
TARGETED = ("guide", "catalog filtered")


def prepare(var_dir, items):
    """A migrated SQLite database in `var_dir` holding a generated catalog of `items` items (kept if present)."""
    env = {"YIMEN_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "portal.settings.dev"}
    if (var_dir / "db.sqlite3").exists():
        print(f"Reusing the database in {var_dir}")
        return
    run_command(["migrate", "-v0"], env)
    catalog = write(items, var_dir / "catalog" / f"catalog-{items}.json")
    started = time.perf_counter()
    run = run_command(["import_catalog", "--no-progress", str(catalog)], env)
    print(f"Imported {items:,} items in {time.perf_counter() - started:.0f} s: {run.output.strip().splitlines()[-1]}")


def request_kinds(rounds, seed=1):
    """Each kind of request as a function from the round number to a URL, and the status it must answer."""
    from content.models import ServicePage, Topic

    codes = list(ServicePage.objects.live().values_list("code", flat=True))
    guides = random.Random(seed).sample(codes, min(rounds, len(codes)))
    topics = list(Topic.objects.values_list("name", flat=True))
    return {
        "baseline (404)": (lambda i: f"/bench-no-such-page-{i}/", 404),
        "guide": (lambda i: f"/services/{guides[i % len(guides)].lower()}/", 200),
        "catalog filtered": (
            lambda i: "/services/?" + urlencode({"topic": topics[i % len(topics)], "handling": "承诺件"}),
            200,
        ),
        "catalog": (lambda i: "/services/", 200),
        "catalog page 20": (lambda i: "/services/?page=20", 200),
        "home": (lambda i: "/", 200),
    }


def measure(client, kinds, rounds, warmup):
    """Per kind: the first (cold) request, the timings of `rounds` warm requests, query count and bad answers."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = {name: {"times": [], "bad": {}} for name in kinds}
    for name, (url, _) in kinds.items():
        started = time.perf_counter()
        client.get(url(0))
        results[name]["cold_ms"] = (time.perf_counter() - started) * 1000
    for i in range(warmup):
        for url, _ in kinds.values():
            client.get(url(i))
    for name, (url, _) in kinds.items():
        with CaptureQueriesContext(connection) as queries:
            client.get(url(1))
        results[name]["queries"] = len(queries.captured_queries)
    for i in range(rounds):
        for name, (url, status) in kinds.items():
            started = time.perf_counter()
            response = client.get(url(i))
            results[name]["times"].append((time.perf_counter() - started) * 1000)
            if response.status_code != status:
                results[name]["bad"][response.status_code] = results[name]["bad"].get(response.status_code, 0) + 1
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=400, help="warm requests of each kind")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--var-dir", help="database folder to build or reuse (default: a temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database folder")
    args = parser.parse_args()

    var_dir = Path(args.var_dir) if args.var_dir else Path(tempfile.mkdtemp(prefix="yimen-bench-pages-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    print(f"Machine: {machine()}")
    try:
        prepare(var_dir, args.items)
        os.environ["YIMEN_VAR_DIR"] = str(var_dir)
        os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        from django.test import Client

        from content.models import ServicePage

        live = ServicePage.objects.live().count()
        kinds = request_kinds(args.rounds)
        results = measure(Client(raise_request_exception=False), kinds, args.rounds, args.warmup)
    finally:
        if not args.var_dir and not args.keep:
            shutil.rmtree(var_dir, ignore_errors=True)

    baseline = percentile(results["baseline (404)"]["times"], 0.95)
    print(f"\n{live:,} live guides on SQLite, {args.rounds} warm requests per kind, in-process test Client, DEBUG off.")
    print(f"Load average at the end: {load_average()}\n")
    print("| request | p50 | p95 | p99 | p95 ÷ baseline p95 | first (cold) | queries | wrong status |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for name, result in results.items():
        times = result["times"]
        p95 = percentile(times, 0.95)
        bad = ", ".join(f"{count}× {status}" for status, count in result["bad"].items()) or "–"
        print(
            f"| {name} | {percentile(times, 0.5):.1f} ms | {p95:.1f} ms | {percentile(times, 0.99):.1f} ms | "
            f"{p95 / baseline:.1f} | {result['cold_ms']:.0f} ms | {result['queries']} | {bad} |"
        )
    print()
    for name in TARGETED:
        p95 = percentile(results[name]["times"], 0.95)
        verdict = "met" if p95 < TARGET_P95_MS and not results[name]["bad"] else "MISSED"
        print(f"target {name} p95 < {TARGET_P95_MS} ms: {p95:.1f} ms — {verdict}")


if __name__ == "__main__":
    main()
