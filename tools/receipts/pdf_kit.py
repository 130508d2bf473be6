"""The shared parts of Nagrik's bilingual PDFs: fonts with Devanagari shaping, rows, a QR code.

fpdf2 shapes text with HarfBuzz (`set_text_shaping`), so conjuncts and vowel signs come out
right; Noto Sans is the main font and Noto Sans Devanagari the fallback for Hindi, so one line
can mix both scripts.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import qrcode
from fpdf import FPDF
from fpdf.enums import XPos, YPos

FONT_DIR = Path("/usr/share/fonts/truetype/noto")
LATIN = "NotoSans"
DEVANAGARI = "NotoSansDevanagari"
INK = (20, 20, 20)
MUTED = (90, 90, 90)
RULE = (180, 180, 180)
BAND = (235, 240, 247)


class ShapedPDF(FPDF):
    """FPDF that re-states its font after every cell, so a Hindi fallback run cannot leak.

    fpdf2 switches to the fallback font inside a text object with a local `Tf`; PDF keeps that
    font for the next text object, while fpdf2 believes its own font is still set, so the next
    Latin-only cell would print with the wrong font. Forgetting the page's font after each
    cell makes fpdf2 write it again.
    """

    def cell(self, *args: Any, **kwargs: Any) -> Any:
        """Draw a cell (see `FPDF.cell`), then forget the font set on the page."""
        result = super().cell(*args, **kwargs)
        self.current_font_is_set_on_page = False
        return result

    def multi_cell(self, *args: Any, **kwargs: Any) -> Any:
        """Draw a multi-line cell (see `FPDF.multi_cell`), then forget the page's font."""
        result = super().multi_cell(*args, **kwargs)
        self.current_font_is_set_on_page = False
        return result


class MissingFont(RuntimeError):
    """A font the PDFs need is not installed."""


def new_pdf(title: str, font_dir: Path = FONT_DIR) -> FPDF:
    """An A4 document with both fonts registered, shaping on, and Hindi as the fallback."""
    pdf = ShapedPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_creator("Nagrik")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_margins(15, 15, 15)
    for family in (LATIN, DEVANAGARI):
        for style, suffix in (("", "Regular"), ("B", "Bold")):
            path = font_dir / f"{family}-{suffix}.ttf"
            if not path.exists():
                raise MissingFont(
                    f"font {path} is missing: install Debian's fonts-noto-core, or point "
                    "the PDF code at a folder holding Noto Sans and Noto Sans Devanagari"
                )
            pdf.add_font(family, style, str(path))
    pdf.set_text_shaping(True)
    pdf.set_fallback_fonts([DEVANAGARI], exact_match=False)
    pdf.add_page()
    pdf.set_text_color(*INK)
    return pdf


def heading(pdf: FPDF, english: str, hindi: str, size: float = 15) -> None:
    """A centred two-line heading: Hindi above, English below."""
    pdf.set_font(DEVANAGARI, "B", size)
    pdf.cell(0, size * 0.55, hindi, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(LATIN, "B", size - 1)
    pdf.cell(0, size * 0.55, english, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def band(pdf: FPDF, english: str, hindi: str) -> None:
    """A shaded title band across the page."""
    pdf.ln(2)
    pdf.set_fill_color(*BAND)
    pdf.set_font(LATIN, "B", 12)
    pdf.cell(0, 9, f"{hindi} / {english}", align="C", fill=True,
             new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def row(pdf: FPDF, english: str, hindi: str, value: str, label_width: float = 70) -> None:
    """One labelled value: `हिंदी / English` on the left, the value on the right."""
    pdf.set_font(LATIN, "", 9)
    pdf.set_text_color(*MUTED)
    pdf.cell(label_width, 7, f"{hindi} / {english}", new_x=XPos.RIGHT, new_y=YPos.TOP)
    pdf.set_text_color(*INK)
    pdf.set_font(LATIN, "B", 10)
    pdf.multi_cell(0, 7, value or "—", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def rule(pdf: FPDF) -> None:
    """A thin horizontal line across the text width."""
    pdf.set_draw_color(*RULE)
    y = pdf.get_y() + 1
    pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
    pdf.set_y(y + 2)


def qr_code(pdf: FPDF, data: str, x: float, y: float, size: float, caption: str) -> None:
    """A QR code of `data` at (x, y), `size` mm square, with a small caption below."""
    image = qrcode.make(data, box_size=6, border=1)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    pdf.image(buffer, x=x, y=y, w=size, h=size)
    pdf.set_xy(x - 10, y + size + 0.5)
    pdf.set_font(LATIN, "", 7)
    pdf.set_text_color(*MUTED)
    for line in caption.splitlines():
        pdf.set_x(x - 10)
        pdf.cell(size + 20, 3.5, line, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)


def footer_note(pdf: FPDF, english: str, hindi: str, link: str | None = None) -> None:
    """A small note at the end of the document, and the verification link written out."""
    pdf.ln(4)
    pdf.set_font(LATIN, "", 8)
    pdf.set_text_color(*MUTED)
    # One call per language: a fallback run inside a multi-line cell upsets the next line.
    for text in (hindi, english):
        pdf.multi_cell(0, 4.5, text, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if link:
        pdf.set_font(LATIN, "", 7)
        pdf.cell(0, 4.5, link, align="C", link=link, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*INK)


def save(pdf: FPDF, path: Path) -> Path:
    """Write the PDF atomically (a temporary file, then a rename) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".part")
    partial.write_bytes(bytes(pdf.output()))
    partial.replace(path)
    return path
