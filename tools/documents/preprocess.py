"""Making a page easier for Tesseract: grayscale, a sensible size, and straight lines of text.

Skew is estimated here rather than by Tesseract's OSD, which only knows quarter turns: the
ink pixels are projected onto the vertical axis at candidate angles, and the angle whose
projection has the sharpest peaks and valleys (text lines and the gaps between them) wins.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageOps

MIN_WIDTH = 1000  # narrower pages are upscaled; small text reads badly
MAX_SIDE = 2600  # larger photos are downscaled; more pixels only slow Tesseract down
SKEW_LIMIT = 10.0  # degrees either way that deskewing searches
_SKEW_SAMPLE_WIDTH = 900
_MAX_INK_POINTS = 60_000


def to_grayscale(image: Image.Image) -> Image.Image:
    """The image upright per its EXIF tag, flattened on white, in 8-bit gray."""
    image = ImageOps.exif_transpose(image) or image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, rgba)
    return image.convert("L")


def normalise_size(gray: Image.Image) -> Image.Image:
    """The page scaled so its width is at least MIN_WIDTH and no side passes MAX_SIDE."""
    width, height = gray.size
    scale = 1.0
    if width < MIN_WIDTH:
        scale = MIN_WIDTH / width
    if max(width, height) * scale > MAX_SIDE:
        scale = MAX_SIDE / max(width, height)
    if abs(scale - 1.0) < 0.05:
        return gray
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return gray.resize(size, Image.Resampling.LANCZOS)


def otsu_threshold(pixels: np.ndarray) -> int:
    """The gray level that best separates ink from paper (Otsu's method)."""
    histogram = np.bincount(pixels.ravel(), minlength=256).astype(np.float64)
    total = histogram.sum()
    if total == 0:
        return 128
    levels = np.arange(256)
    weight_dark = np.cumsum(histogram)
    weight_light = total - weight_dark
    sum_dark = np.cumsum(histogram * levels)
    mean_dark = sum_dark / np.maximum(weight_dark, 1)
    mean_light = (sum_dark[-1] - sum_dark) / np.maximum(weight_light, 1)
    between = weight_dark * weight_light * (mean_dark - mean_light) ** 2
    return int(np.argmax(between))


def estimate_skew(gray: Image.Image) -> float:
    """The angle in degrees (counter-clockwise positive) by which the text lines are tilted."""
    scale = min(1.0, _SKEW_SAMPLE_WIDTH / gray.width)
    small = gray.resize((max(1, int(gray.width * scale)), max(1, int(gray.height * scale))))
    pixels = np.asarray(small, dtype=np.uint8)
    ys, xs = np.nonzero(pixels < otsu_threshold(pixels))
    if len(xs) < 200:
        return 0.0
    if len(xs) > _MAX_INK_POINTS:
        chosen = np.random.default_rng(0).choice(len(xs), _MAX_INK_POINTS, replace=False)
        ys, xs = ys[chosen], xs[chosen]
    xs = xs.astype(np.float64) - xs.mean()
    ys = ys.astype(np.float64)

    def sharpness(angle: float) -> float:
        radians = np.deg2rad(angle)
        projected = ys + xs * np.tan(radians)
        counts = np.bincount(np.round(projected - projected.min()).astype(np.int64))
        return float(np.sum(np.diff(counts.astype(np.float64)) ** 2))

    coarse = max(np.arange(-SKEW_LIMIT, SKEW_LIMIT + 0.01, 0.5), key=sharpness)
    fine = max(np.arange(coarse - 0.5, coarse + 0.51, 0.1), key=sharpness)
    return float(round(fine, 1))


def deskew(gray: Image.Image, angle: float) -> Image.Image:
    """The page rotated to undo a tilt of `angle` degrees, the new corners filled with white."""
    if abs(angle) < 0.3:
        return gray
    return gray.rotate(
        -angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=_paper(gray)
    )


def _paper(gray: Image.Image) -> int:
    pixels = np.asarray(gray, dtype=np.uint8)
    return int(np.percentile(pixels, 90))
