"""Cleaning complaint attachments: time and peak memory per file, against a baseline of Pillow's own cost.

Each case is cleaned by `complaints.attachments.clean_upload`, exactly as the complaint form cleans an
upload, in a fresh child process: the first cleaning (cold) and the median of `--rounds` more (warm),
as wall time and as the child's CPU time (`time.process_time`), which is the comparable figure on a
shared, busy machine (cleaning is single-threaded).
Peak memory is what the cleaning adds to the child's resident memory (VmHWM after minus VmRSS before,
with the input already read), and tracemalloc's peak of Python allocations beside it. Inputs are made
with Pillow and pikepdf before any child starts, so making them costs no child anything:

- a 38 KB PNG of 6300 × 6300 pixels (the review's costly image: 6 s and 335 MB to re-encode before the cap);
- a 4096 × 4096 PNG screenshot, the largest PNG accepted (at the cap);
- a 6 MB, 12-megapixel phone JPEG (4000 × 3000, sensor-like noise, EXIF with an orientation);
- a 5 MB PDF of three scanned pages (JPEG images), just under the PDF limit;
- a 5 MB PDF of 600 text pages (many small objects: the worst case for the search for active content).

The baseline, in the same run and the same way, is Pillow's plain open + save of a small image
(a 640 × 480 JPEG decoded and encoded again), the floor of any re-encoding.

    .venv/bin/python -m bench.bench_uploads
    .venv/bin/python -m bench.bench_uploads --rounds 5

Targets: every case under 2 s of CPU warm and under 256 MiB added memory.
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
import time
import tracemalloc
from pathlib import Path

from bench.common import PYTHON, REPO, load_average, machine

TARGET_S = 2.0
TARGET_MIB = 256
BASELINE = "baseline"


# ---- Inputs ----


def _png_6300(path):
    """A flat 6300 × 6300 PNG with a few shapes: tiny on disk, 119 MB of pixels when decoded."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (6300, 6300), (245, 245, 240))
    draw = ImageDraw.Draw(image)
    for step in range(0, 6300, 700):
        draw.rectangle((step, step, step + 300, step + 120), fill=(30, 60, 160))
    image.save(path, format="PNG", optimize=True)


def _png_screenshot(path):
    """A 4096 × 4096 screenshot-like PNG: flat panels, text-like stripes, a noisy photo area."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (4096, 4096), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    for top in range(0, 4096, 24):
        draw.rectangle((80, top + 6, 80 + (top * 37) % 3000, top + 14), fill=(40, 40, 40))
    photo = Image.merge("RGB", [Image.effect_noise((1600, 1200), 60)] * 3)
    image.paste(photo, (2200, 2600))
    image.save(path, format="PNG")


def _phone_jpeg(path, target=6 * 1024 * 1024):
    """A 4000 × 3000 JPEG of about `target` bytes: a gradient with sensor noise, EXIF orientation 6."""
    from PIL import Image

    smooth = Image.linear_gradient("L").resize((4000, 3000))
    channels = [Image.effect_noise((4000, 3000), sigma) for sigma in (40, 45, 50)]
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0112] = 6
    low, high = 0.0, 1.0
    data = b""
    for _ in range(12):  # bisect the amount of noise until the file is within 3 % of the target
        amount = (low + high) / 2
        image = Image.merge("RGB", [Image.blend(smooth, noise, amount) for noise in channels])
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=92, exif=exif.tobytes())
        data = out.getvalue()
        if abs(len(data) - target) < target * 0.03:
            break
        low, high = (amount, high) if len(data) < target else (low, amount)
    path.write_bytes(data)


def _scanned_pdf(path, limit):
    """Three A4 pages at 300 dpi, each one JPEG image, the whole just under `limit` bytes."""
    from PIL import Image

    quality = 90
    while True:
        pages = [Image.merge("RGB", [Image.effect_noise((2480, 3508), 18 + 4 * n)] * 3) for n in range(3)]
        out = io.BytesIO()
        pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=300, quality=quality)
        if out.tell() < limit or quality < 20:
            break
        quality -= 10
    path.write_bytes(out.getvalue())


def _text_pdf(path, limit, pages=600):
    """Many pages of uncompressed text operators, each page its own objects, just under `limit` bytes."""
    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    )
    line = b"(Complaint evidence line, kept as text for the benchmark.) Tj T* "
    per_page = max(1, (limit - 200_000) // pages // len(line))
    for number in range(pages):
        stream = b"BT /F1 9 Tf 36 800 Td 11 TL " + line * per_page + f"(page {number}) Tj ET".encode()
        page = pikepdf.Page(pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 595, 842]))
        page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        page.obj.Contents = pdf.make_stream(stream)
        pdf.pages.append(page)
    pdf.save(path, compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)


def _baseline_jpeg(path):
    from PIL import Image

    Image.merge("RGB", [Image.effect_noise((640, 480), 30)] * 3).save(path, format="JPEG", quality=90)


def make_inputs(folder, pdf_limit):
    """name → (description, path); made once per run."""
    cases = {
        BASELINE: ("baseline: Pillow open + save of a 640 × 480 JPEG", folder / "baseline.jpg", _baseline_jpeg),
        "png6300": ("PNG 6300 × 6300 (flat)", folder / "big.png", _png_6300),
        "png4096": ("PNG 4096 × 4096 screenshot (at the cap)", folder / "screen.png", _png_screenshot),
        "jpeg": ("phone JPEG 4000 × 3000", folder / "phone.jpg", _phone_jpeg),
        "pdf_scan": ("PDF, 3 scanned pages", folder / "scan.pdf", lambda p: _scanned_pdf(p, pdf_limit)),
        "pdf_text": ("PDF, 600 text pages", folder / "text.pdf", lambda p: _text_pdf(p, pdf_limit)),
    }
    made = {}
    for name, (label, path, build) in cases.items():
        build(path)
        made[name] = (label, path)
    return made


# ---- Child: one case ----


def _status_kib(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _clean_once(name, data):
    """Clean `data` as the form does; returns what came out ("refused: …" when refused)."""
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from complaints.attachments import clean_upload

    if name == BASELINE:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85)
        return f"{len(out.getvalue()) / 1024:.0f} KiB JPEG"
    try:
        cleaned = clean_upload(SimpleUploadedFile(f"upload-{name}", data))
    except ValidationError as exc:
        return "refused: " + " ".join(exc.messages)
    return f"{len(cleaned.data) / 1024:.0f} KiB {cleaned.extension.upper()}"


def one_case(name, path, rounds):
    """Child-process entry: clean one input cold, then `rounds` times warm; print the figures as JSON."""
    import django

    django.setup()
    data = Path(path).read_bytes()
    # Importing the cleaner's modules once, so the cold figure is the first cleaning, not the imports.
    from complaints import attachments  # noqa: F401

    rss_before = _status_kib("VmRSS")
    tracemalloc.start()
    started, cpu = time.perf_counter(), time.process_time()
    outcome = _clean_once(name, data)
    cold, cold_cpu = time.perf_counter() - started, time.process_time() - cpu
    warm, warm_cpu = [], []
    for _ in range(rounds):
        started, cpu = time.perf_counter(), time.process_time()
        _clean_once(name, data)
        warm.append(time.perf_counter() - started)
        warm_cpu.append(time.process_time() - cpu)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "cold": cold,
                "warm": statistics.median(warm) if warm else cold,
                "cold_cpu": cold_cpu,
                "warm_cpu": statistics.median(warm_cpu) if warm_cpu else cold_cpu,
                "added_mib": (_status_kib("VmHWM") - rss_before) / 1024,
                "traced_mib": traced_peak / 2**20,
                "outcome": outcome,
            }
        )
    )


def measure(name, path, rounds, var_dir):
    env = {**os.environ, "YIMEN_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "bench.settings"}
    process = subprocess.run(  # noqa: S603 - fixed arguments
        [PYTHON, "-m", "bench.bench_uploads", "--one", name, str(path), "--rounds", str(rounds)],
        cwd=REPO, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if process.returncode != 0:
        raise RuntimeError(f"case {name} failed:\n{process.stderr}")
    return json.loads(process.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="warm cleanings per case (median)")
    parser.add_argument("--one", nargs=2, metavar=("CASE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_case(args.one[0], args.one[1], args.rounds)
        return

    workdir = Path(tempfile.mkdtemp(prefix="yimen-bench-uploads-"))
    try:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
        os.environ.setdefault("YIMEN_VAR_DIR", str(workdir / "var"))
        import django

        django.setup()
        from django.conf import settings

        print(machine())
        inputs = make_inputs(workdir, settings.COMPLAINTS_MAX_PDF_BYTES - 64 * 1024)
        print(f"\nEach case in a fresh process: cold = first cleaning, warm = median of {args.rounds} more.\n")
        print(
            "| input | size | cold | warm | warm CPU | warm CPU ÷ baseline | added memory (VmHWM) | Python peak (tracemalloc) | result |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
        base = None
        missed = []
        for name, (label, path) in inputs.items():
            figures = measure(name, path, args.rounds, workdir / "var")
            base = base or figures["warm_cpu"]
            size = path.stat().st_size
            shown = f"{size / 2**20:.1f} MiB" if size >= 2**20 else f"{size / 1024:.0f} KiB"
            print(
                f"| {label} | {shown} | {figures['cold']:.2f} s | {figures['warm']:.3f} s | {figures['warm_cpu']:.3f} s | "
                f"{figures['warm_cpu'] / base:.1f}× | "
                f"{figures['added_mib']:.0f} MiB | {figures['traced_mib']:.0f} MiB | {figures['outcome'][:80]} |",
                flush=True,
            )
            if name != BASELINE and (figures["warm_cpu"] >= TARGET_S or figures["added_mib"] >= TARGET_MIB):
                missed.append(label)
        verdict = "met" if not missed else "MISSED for " + ", ".join(missed)
        print(
            f"\nTargets (< {TARGET_S:.0f} s of CPU warm, < {TARGET_MIB} MiB added per file): {verdict}; load average after: {load_average()}"
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
