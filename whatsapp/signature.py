"""The `X-Hub-Signature-256` header: HMAC-SHA256 of the raw body under the app secret."""

from __future__ import annotations

import hashlib
import hmac

PREFIX = "sha256="


def sign(body: bytes, app_secret: str) -> str:
    """The header value WhatsApp would send for `body`: `sha256=<hex>`."""
    digest = hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()
    return PREFIX + digest


def verify(body: bytes, header: str, app_secret: str) -> bool:
    """Whether `header` is the signature of exactly these bytes, compared in constant time."""
    if not header.startswith(PREFIX):
        return False
    expected = sign(body, app_secret)
    return hmac.compare_digest(expected.encode(), header.strip().encode())
