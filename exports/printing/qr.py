"""QR codes printed on paper so a reader's phone opens the live page."""

import base64
import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def qr_png(url, box_size=10):
    """A black-and-white PNG of `url` with the standard four-module quiet zone."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=4)
    code.add_data(url)
    code.make(fit=True)
    image = code.make_image(fill_color="black", back_color="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def qr_data_uri(url):
    """The QR code as a data: URI for an <img> in a print template (no file, no network)."""
    return "data:image/png;base64," + base64.b64encode(qr_png(url)).decode("ascii")
