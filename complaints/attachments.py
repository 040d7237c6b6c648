"""Checking and cleaning what complainants upload, before anything is written to disk.

Types are told by content, never by the file name: JPEG, PNG and PDF only. Images are decoded
and encoded again with Pillow, which drops EXIF (GPS position, camera serial), text chunks and
anything appended after the image; the orientation is applied first so the photo still stands
upright. PDFs must parse and may not carry scripts, launch actions or embedded files.
"""

import io
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

ALLOWED = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
MAX_PIXELS = 40_000_000
MAX_SIDE = 4096
_ACTIVE_PDF = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|RichMedia)\b")


@dataclass(frozen=True)
class CleanFile:
    original_name: str
    content_type: str
    extension: str
    data: bytes

    @property
    def stored_name(self):
        return f"{secrets.token_hex(16)}.{self.extension}"


def clean_upload(upload):
    """A CleanFile for a Django UploadedFile, or ValidationError with a message for the public."""
    name = _display_name(upload.name)
    limit = settings.COMPLAINTS_MAX_ATTACHMENT_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("附件“%(name)s”有 %(size)s，超过了每个文件 %(limit)s 的上限。")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    if upload.size == 0:
        raise ValidationError(_("附件“%(name)s”是空文件。") % {"name": name})
    upload.seek(0)
    data = upload.read()
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind else None
    if mime not in ALLOWED:
        raise ValidationError(
            _("附件“%(name)s”不是 JPEG、PNG 图片或 PDF 文件（按文件内容判断，与扩展名无关）。") % {"name": name}
        )
    data = _checked_pdf(data, name) if mime == "application/pdf" else _reencoded_image(data, name, mime)
    return CleanFile(original_name=name, content_type=mime, extension=ALLOWED[mime], data=data)


def _display_name(raw):
    base = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable())
    return base[:120] or _("未命名文件")


def _reencoded_image(data, name, mime):
    broken = ValidationError(_("图片“%(name)s”已损坏或无法识别，请换一张。") % {"name": name})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(_("图片“%(name)s”尺寸过大（超过 4000 万像素）。") % {"name": name})
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if mime == "image/jpeg":
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                image.save(out, format="JPEG", quality=85, optimize=True)
            else:
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(out, format="PNG", optimize=True)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise broken from exc
    return out.getvalue()


def _checked_pdf(data, name):
    broken = ValidationError(_("PDF 文件“%(name)s”已损坏或无法打开，请重新导出后再上传。") % {"name": name})
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise broken
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise ValidationError(_("PDF 文件“%(name)s”设有密码，请去掉密码后再上传。") % {"name": name})
        if len(reader.pages) == 0:
            raise broken
        root = reader.trailer["/Root"]
        names = root.get("/Names")
        names = names.get_object() if names is not None else {}
        open_action = root.get("/OpenAction")
        open_action = open_action.get_object() if open_action is not None else None
        active = (
            "/AA" in root
            or "/JavaScript" in names
            or "/EmbeddedFiles" in names
            # An array is a harmless "open at this page" destination; a dictionary is an action.
            or (hasattr(open_action, "get") and open_action.get("/S") != "/GoTo")
            or any("/AA" in page for page in reader.pages)
        )
    except ValidationError:
        raise
    except (PyPdfError, KeyError, ValueError, TypeError, OSError, RecursionError) as exc:
        raise broken from exc
    if active or _ACTIVE_PDF.search(data):
        raise ValidationError(
            _("PDF 文件“%(name)s”含有脚本、自动动作或嵌入文件，出于安全考虑不能接收；请打印为普通 PDF 后再上传。") % {"name": name}
        )
    return data
