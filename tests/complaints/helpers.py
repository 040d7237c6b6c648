"""Small files for upload tests, made in memory."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject


def jpeg_with_exif(size=(40, 20), orientation=None, name="photo.jpg"):
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0131] = "GPS-Logger 1.0"  # Software
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(name="shot.png"):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "王小明 13800001234")
    out = io.BytesIO()
    Image.new("RGBA", (16, 16), (0, 128, 0, 255)).save(out, format="PNG", pnginfo=info)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def pdf(name="letter.pdf", javascript=None):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if javascript:
        writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject(javascript)}
        )
    out = io.BytesIO()
    writer.write(out)
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")
