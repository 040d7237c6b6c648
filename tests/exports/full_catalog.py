"""A catalog of one guide that carries every element (content.guide.example_guide) and two real form
files, a PDF and an XLSX, written to a folder as an editor would hand it over."""

import copy
import hashlib
import io
import json

from openpyxl import Workbook

from content.guide import example_guide

# The smallest PDF a viewer opens: one empty A4 page. Offsets in the xref table are exact.
_PDF_OBJECTS = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
]


def tiny_pdf():
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(_PDF_OBJECTS, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (n, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(_PDF_OBJECTS) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(_PDF_OBJECTS) + 1, xref))
    return out.getvalue()


def tiny_xlsx():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "申请表"
    sheet.append(["申请人姓名", "身份证号码", "联系电话"])
    sheet.append(["张三", "430481199001011234", "13800000000"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def form_name(data, suffix):
    """The name the exporter gives a form: the first 16 hex digits of its SHA-1, then its suffix."""
    return f"forms/{hashlib.sha1(data).hexdigest()[:16]}{suffix}"  # noqa: S324 - Wagtail's file_hash is SHA-1


def full_catalog(folder):
    """Write catalog.json and forms/ into `folder`; return the document. Its form names are those the
    exporter writes, so an export of the imported catalog is this document (in export order)."""
    pdf, xlsx = tiny_pdf(), tiny_xlsx()
    (folder / "forms").mkdir(parents=True, exist_ok=True)
    blank, sample = form_name(pdf, ".pdf"), form_name(xlsx, ".xlsx")
    (folder / blank).write_bytes(pdf)
    (folder / sample).write_bytes(xlsx)
    item = copy.deepcopy(example_guide())
    item["materials"][0]["blank_form"] = {"title": "居民身份证申领登记表（空表）", "file": blank}
    item["materials"][0]["sample_form"] = {"title": "居民身份证申领登记表（样表）", "file": sample}
    item["materials"][1]["blank_form"] = {"title": "居民身份证申领登记表（空表）", "file": blank}  # one file, two uses
    document = {
        "format": "yimen-catalog/2",
        "region": {"code": "430481", "name": "测试县"},
        "centers": [
            {
                "code": "HALL-T",
                "name": "测试县政务服务中心",
                "level": "county",
                "parent": None,
                "address": "测试县人民路1号",
                "phone": "0734-1234567",
                "hours": "工作日 9:00-17:00",
                "location": None,
                "windows": [{"number": "7", "name": "综合窗口", "departments": ["DEPT-T"], "scope": None}],
            }
        ],
        "departments": [{"code": "DEPT-T", "name": "测试县测试局", "kind": None}],
        "staff": [],
        "items": [item],
    }
    (folder / "catalog.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return document
