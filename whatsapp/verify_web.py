"""`GET /verify/{number}?s=<signature>`: is this receipt or certificate genuine?

The QR code on every receipt and certificate links here. A number with a missing or wrong
signature, or one not in the records, is reported as not verified (404); a genuine one shows
what it certifies, with the holder's name masked.
"""

from __future__ import annotations

from html import escape

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tools.catalog import load_catalog
from tools.db.engine import make_engine
from tools.settings import Settings
from tools.verification import Verdict, verify
from whatsapp.web_pages import page


def create_verify_router(settings: Settings, *, engine: Engine | None = None) -> APIRouter:
    """The public verification page."""
    engine = engine or make_engine(settings.resolved_database_url)
    catalog = load_catalog(settings.catalog_dir)
    signing_key = settings.secret("signing_key")
    router = APIRouter()

    @router.get("/verify/{number}")
    def verify_document(
        number: str,
        s: str | None = Query(default=None, max_length=64),
        format: str = Query(default="html", pattern="^(html|json)$"),
    ) -> Response:
        """Whether a document number and its QR signature are genuine."""
        with Session(engine) as session:
            verdict = verify(session, catalog, signing_key, number[:40], s)
        status = 200 if verdict.genuine else 404
        if format == "json":
            return JSONResponse(_as_json(verdict), status_code=status)
        return _as_page(verdict, status)

    return router


def _as_json(verdict: Verdict) -> dict[str, object]:
    return {
        "number": verdict.number,
        "genuine": verdict.genuine,
        "kind": verdict.kind,
        "reason": verdict.reason or None,
        "title": verdict.title_en or None,
        "holder": verdict.holder or None,
        "issued_at": verdict.issued_at.isoformat() if verdict.issued_at else None,
        "details": dict(verdict.details),
    }


def _as_page(verdict: Verdict, status: int) -> HTMLResponse:
    number = escape(verdict.number)
    if not verdict.genuine:
        body = (
            f'<p class="bad"><b>Not verified / सत्यापित नहीं</b></p><p>{number}: this document '
            "could not be verified. Do not rely on it; ask the department.<br>इस दस्तावेज़ का "
            "सत्यापन नहीं हो सका। इस पर भरोसा न करें, विभाग से संपर्क करें।</p>"
        )
        return page("Verification / सत्यापन", body, status=status)
    rows = [
        ("Document / दस्तावेज़", f"{verdict.title_hi} / {verdict.title_en}"),
        ("Number / संख्या", verdict.number),
        ("Holder / धारक", verdict.holder),
        ("Issued / जारी", verdict.issued_at.strftime("%d-%m-%Y %H:%M") if verdict.issued_at
         else "—"),
        *verdict.details,
    ]
    table = "".join(f"<tr><td>{escape(k)}</td><td><b>{escape(v)}</b></td></tr>" for k, v in rows)
    body = (
        '<p class="ok"><b>Genuine / वास्तविक</b>: issued by the Government of NCT of Delhi '
        f"through Nagrik.</p><table>{table}</table>"
    )
    return page("Verification / सत्यापन", body, status=status)
