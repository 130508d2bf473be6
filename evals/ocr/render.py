"""Render a synthetic document to an image with Debian's Noto fonts.

Pillow shapes Devanagari correctly only with libraqm (its `raqm` feature); the renderer
refuses to run without it rather than produce broken conjuncts. A line mixing scripts is
drawn run by run, Devanagari runs in Noto Sans Devanagari and the rest in Noto Sans.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, features

from evals.ocr.samples import Sample

FONT_DIR = Path("/usr/share/fonts/truetype/noto")
MARGIN = 70
LINE_GAP = 0.75  # of the font size, between lines


def _is_devanagari(char: str) -> bool:
    return "\u0900" <= char <= "\u097f"


@lru_cache(maxsize=64)
def _font(devanagari: bool, bold: bool, size: int) -> ImageFont.FreeTypeFont:
    family = "NotoSansDevanagari" if devanagari else "NotoSans"
    path = FONT_DIR / f"{family}-{'Bold' if bold else 'Regular'}.ttf"
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.RAQM)


def script_runs(text: str) -> list[tuple[bool, str]]:
    """Split a line into runs of Devanagari and of everything else (spaces join either)."""
    runs: list[tuple[bool, str]] = []
    for char in text:
        if char.isspace() or char in ".,:;()/-" and runs:
            kind = runs[-1][0] if runs else False
        else:
            kind = _is_devanagari(char) or char in "।॥"
        if runs and runs[-1][0] == kind:
            runs[-1] = (kind, runs[-1][1] + char)
        else:
            runs.append((kind, char))
    return runs


def render(sample: Sample) -> Image.Image:
    """The document as a white grayscale page with black text."""
    if not features.check("raqm"):
        raise RuntimeError("Pillow lacks libraqm; Devanagari would be shaped wrongly")
    height = MARGIN * 2 + sum(int(line.size * (1 + LINE_GAP)) for line in sample.lines)
    page = Image.new("L", (sample.width, height), 255)
    draw = ImageDraw.Draw(page)
    y = MARGIN
    for line in sample.lines:
        runs = [(_font(dev, line.bold, line.size), text) for dev, text in script_runs(line.text)]
        width = sum(draw.textlength(text, font=font) for font, text in runs)
        x = (sample.width - width) / 2 if line.center else MARGIN
        for font, text in runs:
            # A shared baseline, since the two fonts place their glyphs differently.
            draw.text((x, y + line.size), text, font=font, fill=0, anchor="ls")
            x += draw.textlength(text, font=font)
        y += int(line.size * (1 + LINE_GAP))
    return page


def encode(sample: Sample, page: Image.Image) -> bytes:
    """The page as the bytes a citizen would send: a PDF for PDF samples, else PNG."""
    buffer = io.BytesIO()
    if sample.as_pdf:
        page.save(buffer, format="PDF", resolution=150)
    else:
        page.save(buffer, format="PNG")
    return buffer.getvalue()
