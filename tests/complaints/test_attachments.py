import io

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from PIL import Image

from complaints.attachments import clean_upload

from .helpers import jpeg_with_exif, pdf, png


def test_jpeg_is_reencoded_without_exif_and_stands_upright():
    cleaned = clean_upload(jpeg_with_exif(size=(40, 20), orientation=6))
    assert cleaned.content_type == "image/jpeg" and cleaned.extension == "jpg"
    assert b"SecretCam" not in cleaned.data and b"Exif" not in cleaned.data
    with Image.open(io.BytesIO(cleaned.data)) as image:
        assert not image.getexif()
        assert image.size == (20, 40)  # orientation 6 applied before the EXIF was dropped


def test_png_text_chunks_are_dropped():
    cleaned = clean_upload(png())
    assert cleaned.content_type == "image/png"
    assert b"13800001234" not in cleaned.data


def test_type_is_told_by_content_not_name():
    cleaned = clean_upload(SimpleUploadedFile("looks-like.txt", png().read()))
    assert cleaned.content_type == "image/png" and cleaned.stored_name.endswith(".png")


def test_plain_pdf_is_kept_as_is():
    upload = pdf()
    data = upload.read()
    cleaned = clean_upload(upload)
    assert cleaned.content_type == "application/pdf" and cleaned.data == data


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 this is really a program"), "不是 JPEG、PNG 图片或 PDF 文件"),
        (SimpleUploadedFile("note.pdf", b"hello, I am text"), "不是 JPEG、PNG 图片或 PDF 文件"),
        (SimpleUploadedFile("empty.png", b""), "是空文件"),
        (SimpleUploadedFile("cut.jpg", jpeg_with_exif().read()[:120]), "已损坏"),
        (SimpleUploadedFile("cut.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"), "已损坏"),
        (pdf(javascript="app.alert('x')"), "含有脚本"),
    ],
)
def test_bad_files_are_refused_with_a_message_naming_them(upload, message):
    with pytest.raises(ValidationError) as caught:
        clean_upload(upload)
    text = " ".join(caught.value.messages)
    assert message in text and upload.name in text


def test_size_limit(settings):
    settings.COMPLAINTS_MAX_ATTACHMENT_BYTES = 1000
    big = SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * 2000)
    with pytest.raises(ValidationError, match="超过了每个文件"):
        clean_upload(big)


def test_decompression_bomb_is_refused():
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG")
    with pytest.raises(ValidationError, match="尺寸过大"):
        clean_upload(SimpleUploadedFile("bomb.png", out.getvalue()))
