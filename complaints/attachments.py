"""Checking and cleaning what complainants upload, before anything is written to disk.

Types are told by content, never by the file name: JPEG, PNG and PDF only. Images are decoded
and encoded again with Pillow from their pixels alone, which drops EXIF (GPS position, camera
serial), XMP, ICC profiles, JPEG comments, PNG text chunks and anything appended after the image;
the orientation is applied first so the photo still stands upright. Their size is read from the
header before anything is decoded, JPEGs are decoded at a reduced scale (`draft`), and large
photos are scaled down to a long side of `MAX_SIDE` instead of being refused.

PDFs are parsed whole by qpdf (pikepdf), which resolves compressed object streams and decodes
`#xx` escapes in names; every object is then searched for scripts, actions that run or send
something, embedded files and XFA forms, and a PDF carrying any of them is refused.
"""

import io
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

import filetype
import pikepdf
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
# Long side of a stored image: plenty to read a receipt or a notice board, a quarter of the bytes
# of a 12-megapixel phone photo.
MAX_SIDE = 2560
# Pixels an image may claim in its header. JPEGs are decoded at 1/2, 1/4 or 1/8 scale when that
# still covers MAX_SIDE, so a 100-megapixel photo costs what a 6-megapixel one does; PNGs (screenshots,
# scans) are decoded at full size, so their cap is what 4096 × 4096 needs (64 MB as RGBA).
MAX_PIXELS = {"image/jpeg": 100_000_000, "image/png": 4096 * 4096}

# Action types (/S) that run code, start programs, send data or play embedded media.
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMedia", "/Rendition", "/GoToE"}
# Keys that hold scripts, additional (automatic) actions, embedded files or XFA forms.
ACTIVE_KEYS = {"/JS", "/AA", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/XFA", "/RichMediaContent"}
# Object types (/Type or /Subtype) that are embedded files or media.
ACTIVE_TYPES = {"/EmbeddedFile", "/RichMedia", "/FileAttachment"}


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
        raise _too_big(name, upload.size, limit)
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
    if mime == "application/pdf" and len(data) > settings.COMPLAINTS_MAX_PDF_BYTES:
        raise _too_big(name, len(data), settings.COMPLAINTS_MAX_PDF_BYTES)
    data = _checked_pdf(data, name) if mime == "application/pdf" else _reencoded_image(data, name, mime)
    return CleanFile(original_name=name, content_type=mime, extension=ALLOWED[mime], data=data)


def _too_big(name, size, limit):
    return ValidationError(
        _("附件“%(name)s”有 %(size)s，超过了每个文件 %(limit)s 的上限。")
        % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)}
    )


def _display_name(raw):
    base = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable())
    return base[:120] or _("未命名文件")


def _reencoded_image(data, name, mime):
    broken = ValidationError(_("图片“%(name)s”已损坏或无法识别，请换一张。") % {"name": name})
    try:
        with Image.open(io.BytesIO(data)) as image:
            # Image.open reads the header only: the claimed size is known before any pixel is decoded.
            if image.width * image.height > MAX_PIXELS[mime]:
                raise ValidationError(
                    _(
                        "图片“%(name)s”的尺寸（%(width)d × %(height)d 像素）过大，无法处理；请截取需要的部分或缩小后再上传。"
                    )
                    % {"name": name, "width": image.width, "height": image.height}
                )
            if mime == "image/jpeg":
                image.draft("RGB" if image.mode not in ("L", "RGB") else image.mode, (MAX_SIDE, MAX_SIDE))
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            if mime == "image/jpeg":
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                _pixels_only(image, keep=())
                image.save(out, format="JPEG", quality=85, optimize=True)
            else:
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                # A palette image's transparent index is part of its pixels.
                _pixels_only(image, keep=("transparency",))
                image.save(out, format="PNG", optimize=True)
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        # Pillow refuses, from the header alone, images claiming more than twice its own pixel limit.
        raise ValidationError(
            _("图片“%(name)s”的尺寸过大，无法处理；请截取需要的部分或缩小后再上传。") % {"name": name}
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise broken from exc
    return out.getvalue()


def _pixels_only(image, keep):
    """Forget everything Pillow would write back besides the pixels: comments, EXIF, XMP, ICC, text chunks."""
    image.info = {key: value for key, value in image.info.items() if key in keep}
    if hasattr(image, "text"):
        image.text = {}
    image.getexif().clear()


def _checked_pdf(data, name):
    broken = ValidationError(_("PDF 文件“%(name)s”已损坏或无法打开，请重新导出后再上传。") % {"name": name})
    encrypted = ValidationError(_("PDF 文件“%(name)s”设有密码或已加密，请去掉密码后再上传。") % {"name": name})
    if not data.startswith(b"%PDF-"):
        raise broken
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if pdf.is_encrypted:
                raise encrypted
            if len(pdf.pages) == 0:
                raise broken
            active = _has_active_content(pdf)
    except pikepdf.PasswordError as exc:
        raise encrypted from exc
    except (pikepdf.PdfError, ValueError, TypeError, RecursionError) as exc:
        raise broken from exc
    if active:
        raise ValidationError(
            _("PDF 文件“%(name)s”含有脚本或嵌入内容，出于安全原因不能接收，请打印后扫描成图片或另存为普通 PDF。")
            % {"name": name}
        )
    return data


def _has_active_content(pdf):
    """True when any object of the file, or any value inside one, is active content.

    `pdf.objects` holds every indirect object, those inside object streams included; direct values
    nested in them are walked here without following references (each referenced object is visited
    in its own right), so a chain such as /OpenAction /GoTo → /Next → /JavaScript is found wherever
    it hides. qpdf has decoded `#xx` escapes by the time names are compared.
    """
    pending = [pdf.trailer, *pdf.objects]
    while pending:
        obj = pending.pop()
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            keys = set(obj.keys())
            if keys & ACTIVE_KEYS:
                return True
            for key in ("/S", "/Type", "/Subtype"):
                value = obj.get(key)
                if isinstance(value, pikepdf.Name) and str(value) in (ACTIVE_ACTIONS if key == "/S" else ACTIVE_TYPES):
                    return True
            children = [obj.get(key) for key in keys]
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            continue
        pending.extend(
            child
            for child in children
            if isinstance(child, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream) and not child.is_indirect
        )
    return False
