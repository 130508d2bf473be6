"""Intake checks on an uploaded file: its real type from the bytes, size, pages, and bombs.

The type is read from the file's first bytes (magic numbers), never from its name or the MIME
type WhatsApp declares. Only JPEG, PNG, WebP and PDF pass. Each refusal is a `DocumentRejected`
with a stable `code` that the agent turns into a polite message in the citizen's language.
"""

from __future__ import annotations

import io
import logging
import warnings
from dataclasses import dataclass
from enum import StrEnum

import pypdfium2 as pdfium
from PIL import Image

logger = logging.getLogger(__name__)

JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
PDF = "application/pdf"
ACCEPTED_TYPES = (JPEG, PNG, WEBP, PDF)

# A PDF header may follow a little junk; readers accept it within the first kilobyte.
_PDF_HEADER_WINDOW = 1024


class RejectReason(StrEnum):
    """Why a file was refused; the agent words each one for the citizen."""

    EMPTY = "empty"  # no bytes at all
    UNSUPPORTED_TYPE = "unsupported_type"  # not JPEG, PNG, WebP or PDF (params: accepted)
    TOO_LARGE = "too_large"  # more bytes than allowed (params: max_bytes)
    TOO_MANY_PAGES = "too_many_pages"  # a PDF longer than allowed (params: pages, max_pages)
    CORRUPT = "corrupt"  # the bytes do not decode as the type they claim
    PASSWORD_PROTECTED = "password_protected"  # an encrypted PDF we cannot open
    BOMB = "bomb"  # an image whose pixel count is beyond the limit (decompression bomb)


class DocumentRejected(Exception):
    """A file refused at intake, with a stable `code`, an operator `detail` and `params`."""

    def __init__(self, code: RejectReason, detail: str, **params: object) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.params = params


@dataclass(frozen=True)
class IntakeLimits:
    """What intake accepts: bytes, PDF pages, and pixels per image."""

    max_bytes: int = 10 * 1024 * 1024
    max_pages: int = 10
    max_pixels: int = 40_000_000


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed intake: its real MIME type and number of pages."""

    mime_type: str
    pages: int


def sniff_mime(data: bytes) -> str | None:
    """The MIME type of the bytes by their magic number, or None when not an accepted type."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if b"%PDF-" in data[:_PDF_HEADER_WINDOW]:
        return PDF
    return None


def check_file(
    data: bytes, limits: IntakeLimits, *, declared_mime: str | None = None
) -> CheckedFile:
    """Check an upload against the limits and return its real type and page count.

    Raises:
        DocumentRejected: when the file is empty, of another type, too large, too long,
            corrupt, password-protected, or a decompression bomb.
    """
    if not data:
        raise DocumentRejected(RejectReason.EMPTY, "the file has no bytes")
    if len(data) > limits.max_bytes:
        raise DocumentRejected(
            RejectReason.TOO_LARGE,
            f"{len(data)} bytes is more than the limit of {limits.max_bytes}",
            max_bytes=limits.max_bytes,
        )

    mime = sniff_mime(data)
    if mime is None:
        raise DocumentRejected(
            RejectReason.UNSUPPORTED_TYPE,
            "the bytes are not JPEG, PNG, WebP or PDF",
            accepted=["JPEG", "PNG", "WebP", "PDF"],
        )
    if declared_mime and declared_mime.split(";")[0].strip().lower() != mime:
        logger.debug("declared type %s differs from the real type %s", declared_mime, mime)

    if mime == PDF:
        return CheckedFile(mime_type=mime, pages=_check_pdf(data, limits))
    _check_image(data, limits)
    return CheckedFile(mime_type=mime, pages=1)


def open_image(data: bytes, max_pixels: int) -> Image.Image:
    """Decode an image with the bomb guard on, returning it fully loaded.

    Raises:
        DocumentRejected: `bomb` beyond `max_pixels`, `corrupt` when it does not decode.
    """
    with warnings.catch_warnings():
        # Pillow warns (and later raises) past its own global limit; we treat both as bombs.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if width * height > max_pixels:
                raise DocumentRejected(
                    RejectReason.BOMB,
                    f"{width}x{height} pixels is more than the limit of {max_pixels}",
                )
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise DocumentRejected(RejectReason.BOMB, str(exc)) from exc
        except DocumentRejected:
            raise
        except (OSError, ValueError, SyntaxError) as exc:
            raise DocumentRejected(
                RejectReason.CORRUPT, f"the image does not decode: {exc}"
            ) from exc
    return image


def _check_image(data: bytes, limits: IntakeLimits) -> None:
    open_image(data, limits.max_pixels).close()


def _check_pdf(data: bytes, limits: IntakeLimits) -> int:
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise DocumentRejected(
                RejectReason.PASSWORD_PROTECTED, "the PDF needs a password"
            ) from exc
        raise DocumentRejected(RejectReason.CORRUPT, f"the PDF does not open: {exc}") from exc
    try:
        pages = len(pdf)
    finally:
        pdf.close()
    if pages == 0:
        raise DocumentRejected(RejectReason.CORRUPT, "the PDF has no pages")
    if pages > limits.max_pages:
        raise DocumentRejected(
            RejectReason.TOO_MANY_PAGES,
            f"{pages} pages is more than the limit of {limits.max_pages}",
            pages=pages,
            max_pages=limits.max_pages,
        )
    return pages
