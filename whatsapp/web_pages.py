"""A plain HTML page shell for the small public pages: sandbox payment, verification."""

from __future__ import annotations

from html import escape

from fastapi.responses import HTMLResponse

STYLE = (
    "body{font-family:'Noto Sans','Noto Sans Devanagari',sans-serif;max-width:36rem;"
    "margin:2rem auto;padding:0 1rem;line-height:1.5}"
    "button{font-size:1rem;padding:.5rem 1rem;margin-right:.5rem}"
    ".ok{color:#0a6b2d}.bad{color:#a11}table{border-collapse:collapse}"
    "td{padding:.2rem .6rem .2rem 0;vertical-align:top}"
)


def page(title: str, body_html: str, status: int = 200) -> HTMLResponse:
    """A small HTML page; `body_html` must already be escaped where it holds data."""
    html = (
        '<!doctype html><html lang="hi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body_html}</body></html>"
    )
    return HTMLResponse(html, status_code=status)
