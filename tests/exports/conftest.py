import copy
import json
from functools import cache
from pathlib import Path

from django.conf import settings

import pytest

DEMO_DIR = Path(settings.BASE_DIR) / "demo"


def small_catalog_document():
    """A fresh copy of the small catalog, for callers outside fixtures: each may change its copy freely."""
    return copy.deepcopy(_small_catalog())


@cache
def _small_catalog():
    """Three demo items at the county and township centres, two staff with photos, one item with a fee.

    Small enough to import in a fraction of a second, varied enough to touch every table the importer fills.
    """
    demo = json.loads((DEMO_DIR / "sample-catalog.json").read_text(encoding="utf-8"))
    centers = {"LY", "LY-SD"}
    items = []
    for code in ("LY-SD-0001", "LY-SD-0018", "LY-SD-0034"):
        item = dict(next(i for i in demo["items"] if i["code"] == code))
        item["centers"] = [c for c in item["centers"] if c in centers]
        if "assist_centers" in item:  # the village stations that 代办 it are not in this catalog
            item["assist_centers"] = [c for c in item["assist_centers"] if c in centers]
        items.append(item)
    items[2]["fees"] = [
        {"name": "营业执照副本工本费", "standard": "每份 10 元", "basis": "湘价费〔2020〕1号", "reducible": True}
    ]
    return {
        **demo,
        "centers": [c for c in demo["centers"] if c["code"] in centers],
        "staff": [p for p in demo["staff"] if p["id"] in ("SD-S01", "SD-S02")],
        "items": items,
    }


@pytest.fixture
def small_catalog():
    """A fresh copy of the small catalog; its photo paths are relative to DEMO_DIR."""
    return small_catalog_document()


@pytest.fixture
def catalog_dir(tmp_path, small_catalog):
    """The small catalog written as a file with its photos, as an editor would hand it over."""
    photos = tmp_path / "photos"
    photos.mkdir()
    for person in small_catalog["staff"]:
        (tmp_path / person["photo"]).write_bytes((DEMO_DIR / person["photo"]).read_bytes())
    (tmp_path / "catalog.json").write_text(json.dumps(small_catalog, ensure_ascii=False), encoding="utf-8")
    return tmp_path
