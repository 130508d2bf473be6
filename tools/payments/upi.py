"""UPI intent links and their QR codes; a link proves nothing, only the gateway does."""

from __future__ import annotations

import io
from urllib.parse import quote

import qrcode


def upi_link(*, vpa: str, payee: str, amount_paise: int, note: str, reference: str) -> str:
    """A `upi://pay` intent link with every value URL-encoded."""
    amount = f"{amount_paise // 100}.{amount_paise % 100:02d}"
    parts = {
        "pa": vpa,
        "pn": payee,
        "am": amount,
        "cu": "INR",
        "tn": note,
        "tr": reference,
    }
    return "upi://pay?" + "&".join(f"{key}={quote(value, safe='')}" for key, value in parts.items())


def qr_png(data: str) -> bytes:
    """A PNG image of a QR code holding `data`."""
    image = qrcode.make(data, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
