"""Degraded copies of a clean page: the ways a phone photo goes wrong, seeded and repeatable."""

from __future__ import annotations

import io
import random

import numpy as np
from PIL import Image, ImageFilter

DEGRADATIONS = ("rotation", "blur", "noise", "jpeg")


def degrade(page: Image.Image, kind: str, rng: random.Random) -> bytes:
    """A degraded copy of the page as JPEG bytes, as a phone would send it."""
    image = page.convert("L")
    quality = 85
    if kind == "rotation":
        angle = rng.uniform(2.0, 5.0) * rng.choice((-1, 1))
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    elif kind == "blur":
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(1.2, 1.8)))
    elif kind == "noise":
        pixels = np.asarray(image, dtype=np.float32)
        noise = np.random.default_rng(rng.randrange(2**32)).normal(0, rng.uniform(20, 30),
                                                                   pixels.shape)
        image = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8))
    elif kind == "jpeg":
        scale = rng.uniform(0.65, 0.8)
        size = (int(image.width * scale), int(image.height * scale))
        image = image.resize(size, Image.Resampling.BILINEAR)
        quality = rng.randint(12, 20)
    else:
        raise ValueError(f"unknown degradation {kind!r}")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()
