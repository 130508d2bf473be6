"""The Tesseract binary, run in its own process with its own environment.

pytesseract starts Tesseract with the parent's environment, and the parent must not carry
`OMP_THREAD_LIMIT=1` (it would slow torch down in the same process). So this module runs the
binary itself with `subprocess`, handing only that child `OMP_THREAD_LIMIT=1`, which makes
Tesseract about twice as fast here. The image goes in on stdin as PNG and TSV comes back on
stdout: words, their boxes and confidences in one pass, without temporary files. pytesseract
is still used to find the binary (`pytesseract.pytesseract.tesseract_cmd`).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
from dataclasses import dataclass

import pytesseract
from PIL import Image

# English first: with `hin+eng` Tesseract drops digits ("DL-123" becomes "DL-23").
LANGUAGES = "eng+hin"
ZWNJ = "\u200c"


class TesseractFailed(RuntimeError):
    """The Tesseract process failed or timed out."""


@dataclass(frozen=True)
class Word:
    """One recognised word with its confidence (0-100)."""

    text: str
    confidence: float


@dataclass(frozen=True)
class TextLine:
    """A line of words, its box on the image (left, top, right, bottom) and its block."""

    words: list[Word]
    box: tuple[int, int, int, int]
    block: tuple[int, int]

    @property
    def text(self) -> str:
        """The line's words joined by spaces."""
        return " ".join(word.text for word in self.words)

    @property
    def mean_confidence(self) -> float:
        """The mean word confidence of the line."""
        return sum(w.confidence for w in self.words) / len(self.words) if self.words else 0.0


@dataclass(frozen=True)
class Recognition:
    """What Tesseract read on one image, line by line in reading order."""

    lines: list[TextLine]

    @property
    def words(self) -> list[Word]:
        """Every word read, in order."""
        return [word for line in self.lines for word in line.words]

    @property
    def text(self) -> str:
        """The text, one line per line, a blank line between blocks."""
        out: list[str] = []
        previous = None
        for line in self.lines:
            if previous is not None and line.block != previous:
                out.append("")
            out.append(line.text)
            previous = line.block
        return "\n".join(out)

    @property
    def mean_confidence(self) -> float:
        """The mean word confidence, 0 when nothing was read."""
        words = self.words
        return sum(w.confidence for w in words) / len(words) if words else 0.0


def recognise(
    image: Image.Image, *, languages: str = LANGUAGES, psm: int = 3, timeout: float = 60.0
) -> Recognition:
    """Run Tesseract on an image and return the text (U+200C stripped) and words."""
    tsv = _run(image, ["-l", languages, "--psm", str(psm), "tsv"], timeout)
    return _parse_tsv(tsv)


def detect_rotation(image: Image.Image, *, timeout: float = 30.0) -> tuple[int, float]:
    """Tesseract's orientation guess: degrees to rotate clockwise, and its confidence."""
    try:
        out = _run(image, ["--psm", "0", "-l", "osd"], timeout)
    except TesseractFailed:
        return 0, 0.0
    rotate = re.search(r"Rotate:\s*(\d+)", out)
    confidence = re.search(r"Orientation confidence:\s*([\d.]+)", out)
    if not rotate:
        return 0, 0.0
    return int(rotate.group(1)), float(confidence.group(1)) if confidence else 0.0


def _run(image: Image.Image, args: list[str], timeout: float) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    command = [pytesseract.pytesseract.tesseract_cmd, "stdin", "stdout", *args]
    try:
        done = subprocess.run(
            command, input=buffer.getvalue(), capture_output=True, env=env, timeout=timeout
        )
    except FileNotFoundError as exc:
        raise TesseractFailed(
            "the tesseract binary is missing; install tesseract-ocr and tesseract-ocr-hin"
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise TesseractFailed(f"tesseract took more than {timeout} s") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()[-300:]
        raise TesseractFailed(f"tesseract exited with {done.returncode}: {message}")
    return done.stdout.decode("utf-8", "replace")


def _parse_tsv(tsv: str) -> Recognition:
    words: dict[tuple[int, int, int, int], list[Word]] = {}
    boxes: dict[tuple[int, int, int, int], tuple[int, int, int, int]] = {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        text = cells[11].replace(ZWNJ, "").strip()
        if not text:
            continue
        key = (int(cells[1]), int(cells[2]), int(cells[3]), int(cells[4]))
        left, top, width, height = (int(cells[i]) for i in (6, 7, 8, 9))
        words.setdefault(key, []).append(Word(text=text, confidence=float(cells[10])))
        box = boxes.get(key, (left, top, left + width, top + height))
        boxes[key] = (min(box[0], left), min(box[1], top),
                      max(box[2], left + width), max(box[3], top + height))
    lines = [TextLine(words=words[key], box=boxes[key], block=key[:2]) for key in words]
    return Recognition(lines=lines)
