"""Catalog import at scale: `manage.py import_catalog` of generated catalogs into fresh databases.

For each database (SQLite always, PostgreSQL when reachable) and each size it reports the wall time
and the peak resident memory of the import command, against a baseline measured in the same run: the
same command importing the same halls, departments and staff with no items. The per-item cost is
(time − baseline) / items; linearity is the per-item cost at the largest size over that at the smallest.
On the largest size it also times a re-import of the same file (nothing changes) and an import in which
every tenth item changed.

    .venv/bin/python -m bench.bench_import                  # 1,000 and 10,000 items
    .venv/bin/python -m bench.bench_import --sizes 500 2000 --no-postgres

Targets: 10,000 items on SQLite in under 3 minutes and under 1 GiB.
"""

import argparse
import json
import re
import shutil
import tempfile
from pathlib import Path

from bench.common import DEFAULT_POSTGRES, fresh_database, load_average, machine, postgres_reachable, run_command
from bench.generate_catalog import write

TARGET_SECONDS = 180
TARGET_MIB = 1024


def import_run(env, path):
    """The import command's run and its summary line, with the command's own split of the time."""
    run = run_command(["import_catalog", "--no-progress", str(path)], env)
    summary = next(line for line in run.output.splitlines() if line.startswith("导入完成"))
    checks, writing, commit = (
        float(x) for x in re.search(r"检查 ([\d.]+)、写入 ([\d.]+)、.*?([\d.]+)。", run.output).groups()
    )
    run.split = {"checks": checks, "writing": writing, "commit": commit}
    return run, summary


def every_tenth_changed(path, out):
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    for item in document["items"][::10]:
        item["name"] += "（修订）"
        item["materials"] = item["materials"][:-1] or item["materials"]
    out.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return out


def bench_database(kind, sizes, workdir, catalogs, postgres_url):
    rows = []
    with fresh_database(kind, workdir, postgres_url) as env:
        baseline, _ = import_run(env, catalogs[0])
    print(
        f"  {kind}: baseline (halls, departments, staff, no items) {baseline.seconds:.1f} s, {baseline.peak_rss_mib:.0f} MiB"
    )
    for n in sizes:
        with fresh_database(kind, workdir, postgres_url) as env:
            fresh, summary = import_run(env, catalogs[n])
            per_item_ms = (fresh.seconds - baseline.seconds) / n * 1000
            row = {"database": kind, "items": n, "seconds": fresh.seconds, "peak_mib": fresh.peak_rss_mib,
                   "per_item_ms": per_item_ms, "summary": summary, "split": fresh.split}  # fmt: skip
            print(
                f"  {kind} {n}: {fresh.seconds:.1f} s, {per_item_ms:.2f} ms/item, {fresh.peak_rss_mib:.0f} MiB — {summary}"
            )
            if n == max(sizes):
                again, summary = import_run(env, catalogs[n])
                row["reimport_seconds"] = again.seconds
                print(f"  {kind} {n} re-import: {again.seconds:.1f} s, {again.peak_rss_mib:.0f} MiB — {summary}")
                changed, summary = import_run(env, every_tenth_changed(catalogs[n], workdir / f"changed-{n}.json"))
                row["changed_seconds"] = changed.seconds
                print(f"  {kind} {n} 10% changed: {changed.seconds:.1f} s, {changed.peak_rss_mib:.0f} MiB — {summary}")
            rows.append(row)
    smallest, largest = rows[0], rows[-1]
    linearity = largest["per_item_ms"] / smallest["per_item_ms"]
    return baseline, rows, linearity


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="server to create throwaway databases on")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the generated catalogs and var dirs")
    args = parser.parse_args()
    sizes = sorted(args.sizes)

    workdir = Path(tempfile.mkdtemp(prefix="yimen-bench-import-"))
    print(f"Machine: {machine()}")
    print(f"Work dir: {workdir}")
    catalogs = {n: write(n, workdir / f"catalog-{n}.json") for n in [0, *sizes]}
    kinds = ["sqlite"]
    if not args.no_postgres and postgres_reachable(args.postgres):
        kinds.append("postgresql")
    elif not args.no_postgres:
        print(f"PostgreSQL not reachable at {args.postgres}; SQLite only.")

    report = []
    try:
        for kind in kinds:
            baseline, rows, linearity = bench_database(kind, sizes, workdir, catalogs, args.postgres)
            report.append((kind, baseline, rows, linearity))
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    print(f"\nLoad average at the end: {load_average()}\n")
    print(
        "| database | items | command | checks / writing / commit and after | per item | peak RSS | re-import (unchanged) | 10% changed |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind, baseline, rows, _ in report:
        split = " / ".join(f"{x:.1f}" for x in baseline.split.values())
        print(
            f"| {kind} | 0 (baseline) | {baseline.seconds:.1f} s | {split} s | – | {baseline.peak_rss_mib:.0f} MiB | – | – |"
        )
        for row in rows:
            split = " / ".join(f"{x:.1f}" for x in row["split"].values())
            again = f"{row['reimport_seconds']:.1f} s" if "reimport_seconds" in row else "–"
            changed = f"{row['changed_seconds']:.1f} s" if "changed_seconds" in row else "–"
            print(
                f"| {kind} | {row['items']:,} | {row['seconds']:.1f} s | {split} s | {row['per_item_ms']:.2f} ms | "
                f"{row['peak_mib']:.0f} MiB | {again} | {changed} |"
            )
    print()
    for kind, _, rows, linearity in report:
        print(
            f"{kind}: per-item cost at {rows[-1]['items']:,} ÷ at {rows[0]['items']:,} = {linearity:.2f} (1.00 is linear)"
        )
        largest = rows[-1]
        if kind == "sqlite" and largest["items"] >= 10000:
            ok_time = largest["seconds"] < TARGET_SECONDS
            ok_memory = largest["peak_mib"] < TARGET_MIB
            print(
                f"target {largest['items']:,} items on SQLite: {largest['seconds']:.0f} s (< {TARGET_SECONDS} s: "
                f"{'met' if ok_time else 'MISSED'}), {largest['peak_mib']:.0f} MiB (< {TARGET_MIB} MiB: "
                f"{'met' if ok_memory else 'MISSED'})"
            )


if __name__ == "__main__":
    main()
