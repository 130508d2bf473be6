"""Reading the text of a document: pages out of a PDF or an image, prepared, then Tesseract.

Each page is turned to gray, scaled, deskewed by our own estimate, and read with `eng+hin`.
When the first reading is poor, the page may lie on its side: Tesseract's orientation check
(OSD) is asked, and if it cannot tell (it often cannot on Devanagari), the other three quarter
turns are tried and the most confident reading is kept.
"""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pypdfium2 as pdfium
from PIL import Image

from tools.documents import preprocess
from tools.documents.intake import PDF, open_image
from tools.documents.quality import ImageQuality, measure_image
from tools.documents.tesseract import (
    Recognition,
    TextLine,
    detect_rotation,
    recognise,
)

logger = logging.getLogger(__name__)

PDF_DPI = 200
POOR_CONFIDENCE = 55.0  # below this mean word confidence, try other orientations
_POOR_WORDS = 4
DOUBTFUL_LATIN = 80.0  # a Latin word on a Devanagari line read with less confidence is doubtful
_DEVANAGARI = re.compile("[\u0900-\u097f]")
_LATIN = re.compile("[A-Za-z]")


@dataclass(frozen=True)
class PageReading:
    """The text of one page and how it was obtained."""

    text: str
    mean_confidence: float
    words: int
    confident_words: int
    rotated: int  # quarter turns applied, in degrees clockwise
    skew: float  # degrees of tilt corrected
    seconds: float
    quality: ImageQuality


@dataclass(frozen=True)
class DocumentReading:
    """The text of every page of a document."""

    pages: list[PageReading]

    @property
    def text(self) -> str:
        """All pages' text, pages separated by a form feed line."""
        return "\n\f\n".join(page.text for page in self.pages)

    @property
    def mean_confidence(self) -> float:
        """The mean word confidence over all pages, weighted by words."""
        words = sum(page.words for page in self.pages)
        if not words:
            return 0.0
        return sum(page.mean_confidence * page.words for page in self.pages) / words


def page_images(
    data: bytes, mime_type: str, *, max_pixels: int, dpi: int = PDF_DPI
) -> Iterator[Image.Image]:
    """The pages of a document as images: PDF pages rasterised, or the one image itself."""
    if mime_type != PDF:
        yield open_image(data, max_pixels)
        return
    pdf = pdfium.PdfDocument(data)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            width, height = page.get_size()
            # Never render more pixels than intake allows for an image: a huge page is a bomb too.
            scale = min(dpi / 72, math.sqrt(max_pixels / max(width * height, 1.0)))
            yield page.render(scale=scale, grayscale=True).to_pil()
            page.close()
    finally:
        pdf.close()


def read_document(data: bytes, mime_type: str, *, max_pixels: int = 40_000_000) -> DocumentReading:
    """OCR every page of a document that passed intake."""
    pages = [read_page(image) for image in page_images(data, mime_type, max_pixels=max_pixels)]
    return DocumentReading(pages=pages)


def read_page(image: Image.Image) -> PageReading:
    """OCR one page image: prepare it, read it, and retry other orientations if poor."""
    started = time.perf_counter()
    gray = preprocess.normalise_size(preprocess.to_grayscale(image))
    quality = measure_image(gray)
    skew = preprocess.estimate_skew(gray)
    prepared = preprocess.deskew(gray, skew)

    best, rotated = recognise(prepared), 0
    if _poor(best):
        for turn in _turns_to_try(prepared):
            candidate = recognise(prepared.rotate(-turn, expand=True))
            if _score(candidate) > _score(best):
                best, rotated = candidate, turn
            if not _poor(best):
                break
    best = reread_mixed_lines(prepared.rotate(-rotated, expand=True) if rotated else prepared, best)

    seconds = time.perf_counter() - started
    logger.debug(
        "page read in %.2f s: %d words, confidence %.0f, skew %.1f, turned %d",
        seconds, len(best.words), best.mean_confidence, skew, rotated,
    )
    return PageReading(
        text=best.text,
        mean_confidence=best.mean_confidence,
        words=len(best.words),
        confident_words=_confident_words(best),
        rotated=rotated,
        skew=skew,
        seconds=seconds,
        quality=quality,
    )


def reread_mixed_lines(image: Image.Image, recognition: Recognition) -> Recognition:
    """Re-read in Hindi alone the Devanagari lines where `eng+hin` put doubtful Latin words.

    With English first, Tesseract sometimes reads bold or borrowed Devanagari words as Latin
    junk ("कस्तूरबा" as "PERNA"). Lines with Devanagari and a doubtful Latin word, and no
    digits (Hindi alone drops digits), are read again with `hin`; the new reading is kept
    when Tesseract is at least as confident of it.
    """
    lines = []
    for line in recognition.lines:
        if _doubtful(line):
            left, top, right, bottom = line.box
            pad = max(4, (bottom - top) // 4)
            crop = image.crop((max(0, left - pad), max(0, top - pad), right + pad, bottom + pad))
            again = recognise(crop, languages="hin", psm=7)
            if again.lines and again.mean_confidence >= line.mean_confidence:
                words = again.words
                line = TextLine(words=words, box=line.box, block=line.block)
        lines.append(line)
    return Recognition(lines=lines)


def _doubtful(line: TextLine) -> bool:
    text = line.text
    if any(char.isdigit() for char in text) or not _DEVANAGARI.search(text):
        return False
    return any(
        word.confidence < DOUBTFUL_LATIN and _LATIN.search(word.text) for word in line.words
    )


def _turns_to_try(image: Image.Image) -> list[int]:
    turn, confidence = detect_rotation(image)
    if turn and confidence >= 2.0:
        return [turn]
    return [180, 90, 270]


def _confident_words(recognition: Recognition) -> int:
    return sum(1 for w in recognition.words if w.confidence >= 60 and len(w.text) >= 2)


def _poor(recognition: Recognition) -> bool:
    return (
        recognition.mean_confidence < POOR_CONFIDENCE
        or _confident_words(recognition) < _POOR_WORDS
    )


def _score(recognition: Recognition) -> float:
    return _confident_words(recognition) + recognition.mean_confidence / 100

