import io
import struct
import zlib

import pytest
from PIL import Image

from tests.tools.documents.conftest import image_bytes, pdf_bytes
from tools.documents.intake import (
    DocumentRejected,
    IntakeLimits,
    RejectReason,
    check_file,
    sniff_mime,
)


@pytest.mark.parametrize(
    ("fmt", "mime"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")],
)
def test_images_are_typed_by_their_bytes(fmt: str, mime: str) -> None:
    checked = check_file(image_bytes(fmt), IntakeLimits(), declared_mime="application/pdf")

    assert checked.mime_type == mime
    assert checked.pages == 1


def test_pdf_pages_are_counted() -> None:
    checked = check_file(pdf_bytes(3), IntakeLimits(), declared_mime="image/jpeg")

    assert checked.mime_type == "application/pdf"
    assert checked.pages == 3


def test_a_name_and_mime_type_that_lie_do_not_let_other_files_in() -> None:
    script = b"#!/bin/sh\necho hello\n"
    gif = b"GIF89a" + b"\x00" * 40

    for data in (script, gif, b"PK\x03\x04zipzip", b"<html></html>"):
        with pytest.raises(DocumentRejected) as caught:
            check_file(data, IntakeLimits(), declared_mime="image/jpeg")
        assert caught.value.code is RejectReason.UNSUPPORTED_TYPE
        assert caught.value.params["accepted"] == ["JPEG", "PNG", "WebP", "PDF"]
    assert sniff_mime(script) is None


def test_empty_and_too_large_files_are_refused() -> None:
    with pytest.raises(DocumentRejected) as empty:
        check_file(b"", IntakeLimits())
    assert empty.value.code is RejectReason.EMPTY

    data = image_bytes("PNG")
    with pytest.raises(DocumentRejected) as large:
        check_file(data, IntakeLimits(max_bytes=len(data) - 1))
    assert large.value.code is RejectReason.TOO_LARGE
    assert large.value.params == {"max_bytes": len(data) - 1}


def test_a_pdf_with_too_many_pages_is_refused() -> None:
    with pytest.raises(DocumentRejected) as caught:
        check_file(pdf_bytes(4), IntakeLimits(max_pages=3))

    assert caught.value.code is RejectReason.TOO_MANY_PAGES
    assert caught.value.params == {"pages": 4, "max_pages": 3}


def test_corrupt_files_are_refused() -> None:
    truncated_png = image_bytes("PNG", (800, 600))[:200]
    broken_pdf = b"%PDF-1.7\n this is not really a pdf"

    for data in (truncated_png, broken_pdf, b"\xff\xd8\xff\xe0garbage"):
        with pytest.raises(DocumentRejected) as caught:
            check_file(data, IntakeLimits())
        assert caught.value.code is RejectReason.CORRUPT


def _png_header_only(width: int, height: int) -> bytes:
    """A tiny PNG that claims a huge canvas: the shape of a decompression bomb."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body) & 0xFFFFFFFF
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressed = zlib.compress(row * 16, 9)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", compressed)
            + chunk(b"IEND", b""))


def test_decompression_bombs_are_refused_before_decoding() -> None:
    bomb = _png_header_only(50_000, 50_000)
    assert len(bomb) < 10_000

    with pytest.raises(DocumentRejected) as caught:
        check_file(bomb, IntakeLimits(max_pixels=40_000_000))
    assert caught.value.code is RejectReason.BOMB

    # Beyond Pillow's own limit the same answer comes from its DecompressionBombError.
    with pytest.raises(DocumentRejected) as beyond:
        check_file(_png_header_only(100_000, 100_000), IntakeLimits(max_pixels=10**12))
    assert beyond.value.code is RejectReason.BOMB


def test_a_modest_limit_refuses_a_real_large_image() -> None:
    big = io.BytesIO()
    Image.new("L", (3000, 3000), 255).save(big, format="PNG")

    with pytest.raises(DocumentRejected) as caught:
        check_file(big.getvalue(), IntakeLimits(max_pixels=4_000_000))
    assert caught.value.code is RejectReason.BOMB
