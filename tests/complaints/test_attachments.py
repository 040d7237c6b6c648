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
    with pytest.raises(ValidationError, match="过大"):
        clean_upload(SimpleUploadedFile("bomb.png", out.getvalue()))


# ---- Active content in PDFs, built with pikepdf as an attacker would disguise it ----


def _pdf_bytes(build, pages=1, object_streams=False, patch=None):
    import pikepdf

    document = pikepdf.new()
    for _ in range(pages):
        document.add_blank_page(page_size=(200, 200))
    build(document)
    out = io.BytesIO()
    mode = pikepdf.ObjectStreamMode.generate if object_streams else pikepdf.ObjectStreamMode.disable
    document.save(out, object_stream_mode=mode, compress_streams=object_streams)
    data = out.getvalue()
    for placeholder, disguise in (patch or {}).items():
        # Same length, so the cross-reference offsets stay right and qpdf reads the file without repair.
        assert len(placeholder) == len(disguise) and placeholder in data
        data = data.replace(placeholder, disguise)
    return data


def _escaped_javascript(document):
    import pikepdf

    action = pikepdf.Dictionary(S=pikepdf.Name("/JZZZvaScript"), JZ=pikepdf.String("app.alert(1)"))
    document.Root.OpenAction = document.make_indirect(action)


def _escaped_launch(document):
    import pikepdf

    document.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name("/LZZZunch"), F=pikepdf.String("cmd.exe"))


def _chained_behind_goto(document):
    import pikepdf

    script = document.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")))
    document.Root.OpenAction = pikepdf.Dictionary(
        S=pikepdf.Name.GoTo, D=pikepdf.Array([document.pages[0].obj, pikepdf.Name.Fit]), Next=script
    )


def _widget_additional_action(document):
    import pikepdf

    widget = document.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget,
            Rect=pikepdf.Array([10, 10, 50, 50]),
            FT=pikepdf.Name.Btn,
            T=pikepdf.String("ok"),
            AA=pikepdf.Dictionary(
                E=pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=pikepdf.Array([document.pages[0].obj, pikepdf.Name.Fit]))
            ),
        )
    )
    document.pages[0].obj.Annots = pikepdf.Array([widget])
    document.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([widget]))


def _submit_form(document):
    import pikepdf

    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=pikepdf.Array([0, 0, 50, 50]),
        A=pikepdf.Dictionary(S=pikepdf.Name.SubmitForm, F=pikepdf.String("https://evil.example/")),
    )  # fmt: skip
    document.pages[0].obj.Annots = pikepdf.Array([document.make_indirect(link)])


def _import_data(document):
    import pikepdf

    document.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.ImportData, F=pikepdf.String("data.fdf"))


def _rich_media(document):
    import pikepdf

    media = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.RichMedia, Rect=pikepdf.Array([0, 0, 9, 9])
    )
    document.pages[0].obj.Annots = pikepdf.Array([document.make_indirect(media)])


def _embedded_file(document):
    import pikepdf

    document.attachments["readme.exe"] = pikepdf.AttachedFileSpec(document, b"MZ program")


def _xfa(document):
    import pikepdf

    document.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([]), XFA=document.make_stream(b"<xdp:xdp/>"))


def _plain_javascript(document):
    import pikepdf

    document.Root.OpenAction = document.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
    )


HOSTILE_PDFS = {
    "escaped-javascript": lambda: _pdf_bytes(
        _escaped_javascript, patch={b"/JZZZvaScript": b"/J#61vaScript", b"/JZ ": b"/JS "}
    ),
    "escaped-launch": lambda: _pdf_bytes(_escaped_launch, patch={b"/LZZZunch": b"/L#61unch"}),
    "javascript-behind-goto": lambda: _pdf_bytes(_chained_behind_goto),
    "widget-additional-action": lambda: _pdf_bytes(_widget_additional_action),
    "submit-form": lambda: _pdf_bytes(_submit_form),
    "import-data": lambda: _pdf_bytes(_import_data),
    "rich-media": lambda: _pdf_bytes(_rich_media),
    "embedded-file": lambda: _pdf_bytes(_embedded_file),
    "xfa": lambda: _pdf_bytes(_xfa),
    # Compressed object streams: no action name appears in the file's bytes at all.
    "javascript-in-object-stream": lambda: _pdf_bytes(_plain_javascript, object_streams=True),
    "goto-chain-in-object-stream": lambda: _pdf_bytes(_chained_behind_goto, object_streams=True),
    "widget-aa-in-object-stream": lambda: _pdf_bytes(_widget_additional_action, object_streams=True),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_PDFS))
def test_disguised_active_pdf_content_is_refused(kind):
    data = HOSTILE_PDFS[kind]()
    if "object-stream" in kind:
        assert b"/JavaScript" not in data and b"/AA" not in data
    with pytest.raises(ValidationError) as caught:
        clean_upload(SimpleUploadedFile(f"{kind}.pdf", data))
    text = " ".join(caught.value.messages)
    assert "含有脚本或嵌入内容，出于安全原因不能接收" in text and f"{kind}.pdf" in text


def test_benign_multi_page_pdf_with_a_goto_open_action_passes():
    import pikepdf

    def build(document):
        document.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.GoTo, D=pikepdf.Array([document.pages[1].obj, pikepdf.Name.Fit])
        )

    data = _pdf_bytes(build, pages=3, object_streams=True)
    cleaned = clean_upload(SimpleUploadedFile("三页说明.pdf", data))
    assert cleaned.content_type == "application/pdf" and cleaned.data == data


def test_encrypted_pdf_gets_a_clear_message():
    import pikepdf

    document = pikepdf.new()
    document.add_blank_page()
    out = io.BytesIO()
    document.save(out, encryption=pikepdf.Encryption(owner="owner", user="secret"))
    with pytest.raises(ValidationError, match="设有密码或已加密"):
        clean_upload(SimpleUploadedFile("locked.pdf", out.getvalue()))


def test_broken_pdf_gets_a_clear_message():
    data = _pdf_bytes(lambda document: None)
    with pytest.raises(ValidationError, match="已损坏或无法打开"):
        clean_upload(SimpleUploadedFile("torn.pdf", data[: len(data) // 3]))


# ---- Images keep their pixels only ----


def test_jpeg_comment_segment_is_dropped():
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 20, 30)).save(out, format="JPEG", comment=b"owner 13800001234")
    assert b"13800001234" in out.getvalue()
    cleaned = clean_upload(SimpleUploadedFile("comment.jpg", out.getvalue()))
    assert b"13800001234" not in cleaned.data and b"\xff\xfe" not in cleaned.data
    with Image.open(io.BytesIO(cleaned.data)) as image:
        assert "comment" not in image.info and "icc_profile" not in image.info


def test_png_text_and_international_text_chunks_are_dropped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "plain 13800001234")
    info.add_itxt("Author", "王小明 13900005678", lang="zh", tkey="作者")
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (0, 128, 0)).save(out, format="PNG", pnginfo=info)
    cleaned = clean_upload(SimpleUploadedFile("chunks.png", out.getvalue()))
    assert b"tEXt" not in cleaned.data and b"iTXt" not in cleaned.data and b"zTXt" not in cleaned.data
    assert b"13800001234" not in cleaned.data


# ---- Costly images ----


def _noisy_jpeg(size, quality=95):
    import os

    noise = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    out = io.BytesIO()
    noise.save(out, format="JPEG", quality=quality)
    return out.getvalue()


def test_a_twelve_megapixel_phone_photo_of_six_megabytes_is_accepted_and_scaled_down():
    data = _noisy_jpeg((4000, 3000), quality=60)
    assert 4 * 1024 * 1024 < len(data) < 15 * 1024 * 1024
    cleaned = clean_upload(SimpleUploadedFile("phone.jpg", data))
    with Image.open(io.BytesIO(cleaned.data)) as image:
        assert image.size == (2560, 1920)


def test_a_large_png_is_scaled_down_to_the_long_side():
    out = io.BytesIO()
    Image.new("RGB", (3000, 1000), (255, 255, 255)).save(out, format="PNG")
    cleaned = clean_upload(SimpleUploadedFile("wide.png", out.getvalue()))
    with Image.open(io.BytesIO(cleaned.data)) as image:
        assert image.size == (2560, 853)


def test_pdfs_keep_their_own_smaller_limit(settings):
    settings.COMPLAINTS_MAX_PDF_BYTES = 100
    with pytest.raises(ValidationError, match="超过了每个文件"):
        clean_upload(pdf())


def test_a_tiny_png_claiming_thirty_thousand_pixels_square_is_refused_from_its_header():
    import struct
    import zlib

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1000))
        + chunk(b"IEND", b"")
    )
    assert len(data) < 1024
    with pytest.raises(ValidationError, match="尺寸过大，无法处理"):
        clean_upload(SimpleUploadedFile("bomb.png", data))
