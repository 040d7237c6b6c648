"""Hypothesis against the admin's catalog upload (导入事项目录) with ZIP archives broken as real uploads are.

Each example zips the small catalog of the exports tests (stored, deflate, bzip2 or LZMA), may break
it one of the named ways of tests/exports/archives.py (bad CRC, unknown method, password, broken
stream, cut short, central directory cut) and then changes a few bytes: overwritten, cut off or
inserted. The page must answer 200 with either the import's summary (the archive still reads: every
item is imported) or problems that each name the file or a JSON path, with nothing imported. Any
exception, a 500 included, is a failure. Each example runs in its own transaction.
"""

import json
import re
import zipfile

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from hypothesis import event, given
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from content.models import ServicePage
from tests.exports import archives
from tests.exports.conftest import small_catalog_document

from .config import fuzz

URL = "/admin/catalog-import/"
# "catalog.zip: …" for the archive, "items[0].name: …" or "(根): …" for what it holds.
PROBLEM = re.compile(r"^(catalog\.zip: |\(根\): |[A-Za-z_]+(\[\d+\])*(\.[A-Za-z_]+(\[\d+\])*)*: )\S")


def _catalog_bytes():
    catalog = small_catalog_document()
    for person in catalog["staff"]:
        person["photo"] = None
    return json.dumps(catalog, ensure_ascii=False).encode()


CATALOG = _catalog_bytes()


@st.composite
def broken_archives(draw):
    compression = draw(
        st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]), "compression"
    )
    members = {"catalog.json": CATALOG}
    if draw(st.booleans(), "second member"):
        members["photos/说明.txt"] = "照片放在这里".encode() * 20
    data = archives.archive(members, compression)
    damage = draw(st.one_of(st.none(), st.sampled_from(archives.DAMAGES)), "damage")
    if damage is not None:
        data = damage(data)
    data = bytearray(data)
    for _ in range(draw(st.integers(0, 3), "byte changes")):
        at = draw(st.integers(0, len(data) - 1), "at")
        change = draw(st.sampled_from(["overwrite", "cut", "insert"]), "change")
        if change == "overwrite":
            data[at] = draw(st.integers(0, 255), "byte")
        elif change == "cut":
            del data[max(at, 1) :]  # an empty file is the form's to refuse, not the archive reader's
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=8), "inserted")
    return bytes(data)


class CatalogUploadFuzz(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = get_user_model().objects.create_superuser("fuzz-admin", password="x")

    @fuzz(60)
    @given(data=broken_archives())
    def test_a_broken_zip_is_refused_with_reasons_or_imported_whole(self, data):
        self.client.force_login(self.admin)
        response = self.client.post(
            URL, {"file": SimpleUploadedFile("catalog.zip", data, content_type="application/zip")}
        )

        assert response.status_code == 200, response.status_code
        problems, result = response.context.get("problems"), response.context.get("result")
        if problems:
            event("refused")
            for problem in problems:
                assert PROBLEM.match(problem), f"problem without the file or a JSON path: {problem!r}"
            assert not ServicePage.objects.exists()
            return
        event("imported")
        assert result is not None, "neither a summary nor problems"
        assert result.created == ServicePage.objects.count() == len(json.loads(CATALOG)["items"])
