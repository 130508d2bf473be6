"""Whether a photo can be read, and if not, the likely reason, so the citizen gets a useful tip.

The reason codes are stable; the agent words each as "please send a clearer photo" with a tip:
`too_small` (move closer or send the original), `too_dark` (more light), `too_bright` (avoid
glare and flash), `blurry` (hold the phone still, tap to focus), `no_text` (nothing legible:
photograph the document flat and whole).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from PIL import Image

MIN_SIDE = 400  # pixels; smaller photos of a document are rarely legible
DARK = 70  # mean gray level below which a photo is too dark
BRIGHT_CONTRAST = 25  # gray-level spread below which a bright photo is washed out
BLURRY = 120.0  # variance of the Laplacian below which a page is blurred
READABLE_WORDS = 5  # confident words needed to call a page readable
READABLE_CONFIDENCE = 45.0


class UnreadableReason(StrEnum):
    """Why a photo could not be read; each maps to a tip for the citizen."""

    TOO_SMALL = "too_small"
    TOO_DARK = "too_dark"
    TOO_BRIGHT = "too_bright"
    BLURRY = "blurry"
    NO_TEXT = "no_text"


@dataclass(frozen=True)
class ImageQuality:
    """Measures of a page image taken before OCR."""

    width: int
    height: int
    brightness: float  # mean gray level, 0-255
    contrast: float  # standard deviation of gray levels
    sharpness: float  # variance of the Laplacian at a fixed scale


def measure_image(gray: Image.Image) -> ImageQuality:
    """Size, brightness, contrast and sharpness of a grayscale page."""
    scale = min(1.0, 1000 / max(gray.width, 1))
    small = gray.resize((max(3, int(gray.width * scale)), max(3, int(gray.height * scale))))
    pixels = np.asarray(small, dtype=np.float64)
    laplacian = (
        pixels[:-2, 1:-1] + pixels[2:, 1:-1] + pixels[1:-1, :-2] + pixels[1:-1, 2:]
        - 4 * pixels[1:-1, 1:-1]
    )
    return ImageQuality(
        width=gray.width,
        height=gray.height,
        brightness=float(pixels.mean()),
        contrast=float(pixels.std()),
        sharpness=float(laplacian.var()),
    )


def unreadable_reason(
    quality: ImageQuality, confident_words: int, mean_confidence: float
) -> UnreadableReason | None:
    """None when the page was read well enough; otherwise the most likely reason it was not."""
    if confident_words >= READABLE_WORDS and mean_confidence >= READABLE_CONFIDENCE:
        return None
    if min(quality.width, quality.height) < MIN_SIDE:
        return UnreadableReason.TOO_SMALL
    if quality.brightness < DARK:
        return UnreadableReason.TOO_DARK
    if quality.sharpness < BLURRY:
        return UnreadableReason.BLURRY
    if quality.brightness > 200 and quality.contrast < BRIGHT_CONTRAST:
        return UnreadableReason.TOO_BRIGHT
    return UnreadableReason.NO_TEXT
