"""`report.html`: one self-contained page summarising a run of scenarios."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from evals.report.svg import histogram, rate_bars

REPORT_FILE = "report.html"
PASS_MARK = "<span class='pass'>pass</span>"
FAIL_MARK = "<span class='fail'>FAIL</span>"

STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;
text-align:left;vertical-align:top}th{background:#f3f3f3}.pass{color:#2e7d32}
.fail{color:#c62828;font-weight:bold}.charts{display:flex;flex-wrap:wrap;gap:1em}
pre{white-space:pre-wrap;background:#f8f8f8;padding:6px;margin:0;max-width:700px}
details{margin:.5em 0}summary{cursor:pointer}
"""


def render_report(document: dict[str, Any]) -> str:
    """The HTML of the report for a results document (as written to results.json)."""
    scenarios = document.get("scenarios", [])
    turns = [t for s in scenarios for run in s.get("runs", []) for t in run.get("turns", [])]
    latencies = [float(t.get("latency_ms", 0.0)) for t in turns if not t.get("error")]
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Nagrik scenario evals</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Nagrik scenario evals</h1>",
        _headline(document),
        "<div class='charts'>",
        rate_bars("Pass rate by service", document.get("by_service", {})),
        rate_bars("Pass rate by language", document.get("by_language", {})),
        rate_bars("Turns passing, by turn type", document.get("by_turn_type", {})),
        histogram("Latency per turn", latencies),
        "</div>",
        _latency_table(document.get("latency", {})),
        "<h2>Scenarios</h2>",
        _scenario_table(scenarios),
        "<h2>Failures in detail</h2>",
        "".join(_failure_detail(s) for s in scenarios if not s.get("passed")) or "<p>None.</p>",
        "</body></html>",
    ]
    return "\n".join(parts)


def write_report(document: dict[str, Any], out_dir: Path) -> Path:
    """Write `report.html` into `out_dir`; returns its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / REPORT_FILE
    path.write_text(render_report(document), encoding="utf-8")
    return path


def _headline(document: dict[str, Any]) -> str:
    pass_hat = ", ".join(f"pass^{k} {v:.1%}" for k, v in document.get("pass_hat_k", {}).items())
    return (
        f"<p><b>{document.get('passed', 0)}/{document.get('total', 0)}</b> scenarios passed "
        f"(<b>{float(document.get('pass_rate', 0)):.1%}</b>) with the "
        f"<b>{escape(str(document.get('policy', '?')))}</b> policy, "
        f"{document.get('repeat', 1)} run(s) each; {escape(pass_hat)}. "
        f"Started {escape(str(document.get('started_at', '')))}, "
        f"took {float(document.get('seconds', 0)):.1f} s.</p>"
    )


def _latency_table(latency: dict[str, dict[str, float]]) -> str:
    rows = "".join(
        f"<tr><td>{escape(kind)}</td><td>{int(v.get('turns', 0))}</td><td>{v.get('mean_ms')}</td>"
        f"<td>{v.get('p50_ms')}</td><td>{v.get('p95_ms')}</td><td>{v.get('max_ms')}</td></tr>"
        for kind, v in latency.items()
    )
    return (
        "<table><tr><th>turn type</th><th>turns</th><th>mean ms</th><th>p50 ms</th>"
        f"<th>p95 ms</th><th>max ms</th></tr>{rows}</table>"
    )


def _scenario_table(scenarios: list[dict[str, Any]]) -> str:
    rows = []
    for s in scenarios:
        mark = PASS_MARK if s.get("passed") else FAIL_MARK
        first = escape(s["failures"][0]) if s.get("failures") else ""
        rows.append(
            f"<tr><td><a href='#{escape(s['id'])}'>{escape(s['id'])}</a></td><td>{mark}</td>"
            f"<td>{escape(s.get('service', ''))}</td><td>{escape(s.get('language', ''))}</td>"
            f"<td>{first}</td></tr>"
        )
    return (
        "<table><tr><th>id</th><th>result</th><th>service</th><th>language</th>"
        f"<th>first failure</th></tr>{''.join(rows)}</table>"
    )


def _failure_detail(s: dict[str, Any]) -> str:
    runs = [run for run in s.get("runs", []) if not run.get("passed")]
    body = [f"<h3 id='{escape(s['id'])}'>{escape(s['id'])}: {escape(s.get('title', ''))}</h3>"]
    body.append(f"<p>{escape(s.get('file', ''))}</p><ul>")
    body.extend(f"<li>{escape(failure)}</li>" for failure in s.get("failures", []))
    body.append("</ul>")
    for run in runs[:1]:
        body.append(f"<details><summary>Transcript of run {run['repeat'] + 1}</summary><table>")
        body.append("<tr><th>#</th><th>citizen</th><th>bot</th><th>tools</th><th>ms</th></tr>")
        for turn in run.get("turns", []):
            tools = "<br>".join(
                escape(c["name"] + ("" if c["ok"] else f" ✗ {c.get('error_code')}"))
                for c in turn.get("tool_calls", [])
            )
            problems = turn.get("failures", []) + ([turn["error"]] if turn.get("error") else [])
            note = "".join(f"<div class='fail'>{escape(p)}</div>" for p in problems)
            body.append(
                f"<tr><td>{turn['index']}</td><td>{escape(turn['action'])}{note}</td>"
                f"<td><pre>{escape(turn.get('reply', ''))}</pre></td><td>{tools}</td>"
                f"<td>{turn.get('latency_ms', 0)}</td></tr>"
            )
        body.append("</table></details>")
    return "".join(body)
