"""Small inline SVG charts drawn by hand: no script, no font or network asset."""

from __future__ import annotations

from html import escape

BAR_HEIGHT = 22
LABEL_WIDTH = 150
CHART_WIDTH = 520
PASS_COLOUR = "#2e7d32"
FAIL_COLOUR = "#c62828"
BAR_COLOUR = "#1565c0"


def rate_bars(title: str, rates: dict[str, dict[str, float]]) -> str:
    """A horizontal bar per key showing its pass rate, with `passed/total` beside it."""
    rows = list(rates.items())
    height = 30 + BAR_HEIGHT * len(rows) + 10
    span = CHART_WIDTH - LABEL_WIDTH - 90
    parts = [_open(height, title)]
    for i, (key, item) in enumerate(rows):
        y = 30 + i * BAR_HEIGHT
        share = float(item.get("rate", 0.0))
        colour = PASS_COLOUR if share >= 0.95 else BAR_COLOUR if share >= 0.8 else FAIL_COLOUR
        parts.append(_label(8, y + 15, key))
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{span}" height="{BAR_HEIGHT - 6}" '
            'fill="#eeeeee"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{span * share:.1f}" '
            f'height="{BAR_HEIGHT - 6}" fill="{colour}"/>'
        )
        note = f"{share:.0%} ({int(item.get('passed', 0))}/{int(item.get('total', 0))})"
        parts.append(_label(LABEL_WIDTH + span + 6, y + 15, note))
    parts.append("</svg>")
    return "".join(parts)


def histogram(title: str, values: list[float], bins: int = 12, unit: str = "ms") -> str:
    """A histogram of values (such as turn latencies), bins of equal width from 0 to max."""
    height = 190
    parts = [_open(height, title)]
    if not values:
        parts.append(_label(8, 60, "no data") + "</svg>")
        return "".join(parts)
    top = max(values) or 1.0
    width = top / bins
    counts = [0] * bins
    for value in values:
        counts[min(bins - 1, int(value / width))] += 1
    tallest = max(counts)
    plot_w, plot_h, left, base = CHART_WIDTH - 60, 120, 40, 160
    bar_w = plot_w / bins
    for i, count in enumerate(counts):
        h = plot_h * count / tallest
        parts.append(
            f'<rect x="{left + i * bar_w + 1:.1f}" y="{base - h:.1f}" width="{bar_w - 2:.1f}" '
            f'height="{h:.1f}" fill="{BAR_COLOUR}"><title>{count} turns, '
            f"{i * width:.0f}-{(i + 1) * width:.0f} {unit}</title></rect>"
        )
    parts.append(f'<line x1="{left}" y1="{base}" x2="{left + plot_w}" y2="{base}" stroke="#444"/>')
    parts.append(_label(left, base + 16, f"0 {unit}"))
    parts.append(_label(left + plot_w - 70, base + 16, f"{top:.0f} {unit}"))
    parts.append(_label(4, base - plot_h + 4, str(tallest)))
    parts.append("</svg>")
    return "".join(parts)


def _open(height: int, title: str) -> str:
    return (
        f'<svg width="{CHART_WIDTH}" height="{height}" '
        f'viewBox="0 0 {CHART_WIDTH} {height}" role="img" aria-label="{escape(title)}">'
        f'<text x="8" y="18" font-size="14" font-weight="bold">{escape(title)}</text>'
    )


def _label(x: float, y: float, text: str) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="12">{escape(text)}</text>'
