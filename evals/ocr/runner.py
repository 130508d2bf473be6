"""The OCR eval: render documents, degrade copies, read them, and score text and fields.

Character error rate (CER) is the edit distance between what Tesseract read and the printed
text, over the printed text's length, after both are normalised (NFC, no zero-width joiners,
ASCII digits, single spaces). Field accuracy is the share of ground-truth fields that the
extractor read to a value the product's own comparison accepts (names across spellings,
dates exactly, numbers ignoring separators, addresses by their words).
"""

from __future__ import annotations

import logging
import random
import statistics
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from evals.ocr.degrade import DEGRADATIONS, degrade
from evals.ocr.render import encode, render
from evals.ocr.samples import KINDS, Sample, make_samples
from tools.documents.extract import extract_fields, normalise_text
from tools.documents.intake import IntakeLimits, check_file
from tools.documents.matching import values_agree
from tools.documents.ocr import read_document

logger = logging.getLogger(__name__)


@dataclass
class PageResult:
    """The score of one file: which document, which copy, CER, fields right, and time."""

    sample_id: str
    kind: str
    language: str
    variant: str  # "clean" or a degradation
    cer: float
    fields_total: int
    fields_correct: int
    seconds_per_page: float
    wrong_fields: list[dict[str, str | None]] = field(default_factory=list)


def select_samples(samples: list[Sample], limit: int | None) -> list[Sample]:
    """At most `limit` samples, taken round-robin over kinds and languages."""
    if limit is None or limit >= len(samples):
        return samples
    groups: dict[tuple[str, str], list[Sample]] = {}
    for sample in samples:
        groups.setdefault((sample.kind, sample.language), []).append(sample)
    chosen: list[Sample] = []
    while len(chosen) < limit:
        for group in groups.values():
            if group and len(chosen) < limit:
                chosen.append(group.pop(0))
    return chosen


def run(
    *, per_kind: int = 3, limit: int | None = None, seed: int = 7, workdir: Path | None = None
) -> dict[str, Any]:
    """Generate the eval set into a folder, read every file, and return the summary."""
    samples = select_samples(make_samples(per_kind=per_kind, seed=seed), limit)
    with tempfile.TemporaryDirectory(prefix="nagrik-ocr-eval-") as temporary:
        folder = workdir or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        results = []
        for sample in samples:
            for variant, path in _write_files(sample, folder, seed):
                results.append(score_file(sample, variant, path.read_bytes()))
                logger.info("%s %s: CER %.3f, fields %d/%d", sample.id, variant,
                            results[-1].cer, results[-1].fields_correct, results[-1].fields_total)
    return summarise(results)


def score_file(sample: Sample, variant: str, data: bytes) -> PageResult:
    """Read one file as the product would and score it against the sample's truth."""
    checked = check_file(data, IntakeLimits(max_pages=10))
    started = time.perf_counter()
    reading = read_document(data, checked.mime_type)
    seconds = (time.perf_counter() - started) / max(1, len(reading.pages))
    extraction = extract_fields(reading.text)
    wrong = []
    for name, truth in sample.fields.items():
        read = extraction.fields.get(name)
        if not values_agree(sample.field_kinds[name], truth, read):
            wrong.append({"field": name, "expected": truth, "read": read})
    return PageResult(
        sample_id=sample.id,
        kind=sample.kind,
        language=sample.language,
        variant=variant,
        cer=character_error_rate(sample.text, reading.text),
        fields_total=len(sample.fields),
        fields_correct=len(sample.fields) - len(wrong),
        seconds_per_page=seconds,
        wrong_fields=wrong,
    )


def character_error_rate(truth: str, read: str) -> float:
    """Edit distance between normalised texts over the truth's length."""
    expected, got = _for_cer(truth), _for_cer(read)
    return _edit_distance(expected, got) / max(1, len(expected))


def summarise(results: list[PageResult]) -> dict[str, Any]:
    """The figures the eval reports, overall, per document kind and per degradation."""
    clean = [r for r in results if r.variant == "clean"]
    degraded = [r for r in results if r.variant != "clean"]
    seconds = sorted(r.seconds_per_page for r in results)
    by_kind = {}
    for kind in KINDS:
        of_kind = [r for r in results if r.kind == kind]
        if of_kind:
            by_kind[kind] = {
                "field_accuracy_clean": _accuracy([r for r in of_kind if r.variant == "clean"]),
                "field_accuracy_degraded": _accuracy([r for r in of_kind if r.variant != "clean"]),
                "cer_clean": _mean_cer([r for r in of_kind if r.variant == "clean"]),
                "cer_degraded": _mean_cer([r for r in of_kind if r.variant != "clean"]),
            }
    by_degradation = {
        name: {"field_accuracy": _accuracy(rows), "cer": _mean_cer(rows)}
        for name in DEGRADATIONS
        if (rows := [r for r in degraded if r.variant == name])
    }
    return {
        "field_accuracy_clean": _accuracy(clean),
        "field_accuracy_degraded": _accuracy(degraded),
        "cer_clean": _mean_cer(clean),
        "cer_degraded": _mean_cer(degraded),
        "seconds_per_page_p50": round(statistics.median(seconds), 3) if seconds else None,
        "seconds_per_page_p90": round(seconds[int(0.9 * (len(seconds) - 1))], 3)
        if seconds else None,
        "pages": len(results),
        "documents": len(clean),
        "by_kind": by_kind,
        "by_degradation": by_degradation,
        "pages_detail": [asdict(r) for r in results],
    }


def _write_files(sample: Sample, folder: Path, seed: int) -> list[tuple[str, Path]]:
    page = render(sample)
    clean = folder / f"{sample.id}-clean.{'pdf' if sample.as_pdf else 'png'}"
    clean.write_bytes(encode(sample, page))
    files = [("clean", clean)]
    for name in DEGRADATIONS:
        rng = random.Random(f"{seed}:{sample.id}:{name}")
        path = folder / f"{sample.id}-{name}.jpg"
        path.write_bytes(degrade(page, name, rng))
        files.append((name, path))
    return files


def _accuracy(rows: list[PageResult]) -> float | None:
    total = sum(r.fields_total for r in rows)
    return round(sum(r.fields_correct for r in rows) / total, 4) if total else None


def _mean_cer(rows: list[PageResult]) -> float | None:
    return round(statistics.fmean(r.cer for r in rows), 4) if rows else None


def _for_cer(text: str) -> str:
    lines = (line.strip() for line in normalise_text(text).replace("\f", "").splitlines())
    return "\n".join(line for line in lines if line)


def _edit_distance(first: str, second: str) -> int:
    if len(first) < len(second):
        first, second = second, first
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i]
        for j, b in enumerate(second, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1]
