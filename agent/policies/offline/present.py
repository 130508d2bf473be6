"""Turning tool results into replies in the citizen's language."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from agent.i18n import local, text
from agent.messages import (
    Button,
    ButtonsReply,
    ImageReply,
    ListReply,
    ListRow,
    ListSection,
    Reply,
    TextReply,
)
from tools.catalog import Catalog
from tools.payments.upi import qr_png

DEVANAGARI = re.compile(r"[\u0900-\u097F]")
KNOWN_ERRORS = {
    "application_not_found", "property_not_found", "receipt_not_found", "document_not_found",
    "not_editable", "already_submitted", "already_cancelled", "already_paid", "incomplete",
    "unpaid", "not_eligible", "nothing_due", "fee_not_known_yet", "transition_not_allowed",
    "invalid_upic", "invalid_application_number", "knowledge_unavailable",
}


def status_name(status: str, language: str) -> str:
    """A status in the citizen's words."""
    return text(f"status_{status}", language)


def error_reply(error: dict[str, Any], language: str) -> TextReply:
    """A tool's refusal as a short, polite text saying what to do next."""
    code = error.get("code", "")
    params = {k: (", ".join(v) if isinstance(v, list) else v)
              for k, v in (error.get("params") or {}).items()}
    if code not in KNOWN_ERRORS:
        return TextReply(body=text("error_generic", language))
    if "status" in params:
        params["status"] = status_name(str(params["status"]), language)
    params.setdefault("number", "")
    params.setdefault("upic", "")
    params.setdefault("amount", "")
    params.setdefault("fields", "")
    params.setdefault("documents", "")
    return TextReply(body=text(f"error_{code}", language, **params))


def menu(services: list[dict[str, Any]], language: str, name: str | None,
         resume: str | None) -> list[Reply]:
    """The greeting with the list of services."""
    rows = []
    if resume:
        rows.append(ListRow(id="resume", title=text("menu_resume_row", language, number=resume),
                            description=text("menu_resume_desc", language)))
    for service in services:
        rows.append(
            ListRow(
                id=f"service:{service['id']}",
                title=local(service["name"], language)[:24],
                description=local(service["description"], language)[:72],
            )
        )
    rows.append(ListRow(id="status", title=text("menu_status_row", language),
                        description=text("menu_status_desc", language)))
    greeting = text("greeting", language, name=f" {name}" if name else "")
    return [
        ListReply(
            body=greeting,
            button=text("menu_button", language),
            sections=[ListSection(title=text("menu_section", language), rows=rows[:10])],
        )
    ]


def status_list(applications: list[dict[str, Any]], catalog: Catalog,
                language: str) -> TextReply:
    """The citizen's applications and where each stands."""
    if not applications:
        return TextReply(body=text("status_none", language))
    lines = [text("status_header", language)]
    for app in applications[:10]:
        line = text(
            "status_line",
            language,
            number=app["number"],
            service=local(app["service_name"], language),
            status=status_name(app["status"], language),
        )
        if app.get("wait_until"):
            line += text("status_wait_until", language, date=app["wait_until"])
        elif app.get("expected_by") and app["status"] in ("submitted", "under_review"):
            line += text("status_expected", language, date=app["expected_by"])
        if app.get("decision_reason") and app["status"] in ("rejected", "info_requested"):
            line += text("status_reason", language, reason=app["decision_reason"])
        lines.append(line)
    return TextReply(body="\n".join(lines))


def knowledge_answer(result: dict[str, Any], language: str) -> TextReply:
    """An answer from the departments' documents, in the reader's script where possible."""
    if not result.get("found") or not result.get("passages"):
        return TextReply(body=text("knowledge_unknown", language))
    # A document's list of sources is where the answer comes from, not the answer itself.
    passages = [p for p in result["passages"] if not _is_sources(p)] or result["passages"]
    wants_devanagari = language == "hi"
    readable = [p for p in passages if bool(DEVANAGARI.search(p["text"])) == wants_devanagari]
    # Fused ranks often tie; the passage closest in meaning answers best.
    chosen = max(readable or passages, key=lambda p: p.get("similarity") or 0.0)
    citation = chosen["citation"]
    source = citation["title"]
    if citation.get("heading"):
        source += f" › {citation['heading']}"
    if citation.get("source_url"):
        source += f" — {citation['source_url']}"
    body = _trim(chosen["text"], 900)
    return TextReply(body=text("knowledge_answer", language, answer=body, source=source))


def _is_sources(passage: dict[str, Any]) -> bool:
    heading = passage["citation"].get("heading", "").split("›")[-1].strip().lower()
    return heading in {"sources", "स्रोत", "sources and references", "स्रोत और संदर्भ"}


def payment_replies(order: dict[str, Any], language: str, media_dir: Path) -> list[Reply]:
    """Where and how to pay: a link, a UPI link, and the UPI QR code as an image."""
    amount = order["amount_rupees"]
    body = text(
        "payment_link",
        language,
        amount=amount,
        url=order["pay_url"],
        upi=order["upi_link"],
        reference=order["reference"],
    )
    replies: list[Reply] = [TextReply(body=body)]
    if order.get("upi_link"):
        media_dir.mkdir(parents=True, exist_ok=True)
        path = media_dir / f"upi-{order['reference']}.png"
        if not path.exists():
            path.write_bytes(qr_png(order["upi_link"]))
        replies.append(
            ImageReply(path=str(path), caption=text("payment_qr_caption", language, amount=amount))
        )
    return replies


def tax_dues(due: dict[str, Any], language: str) -> list[Reply]:
    """Property tax due, year by year, with Pay and No buttons."""
    if not due["years"]:
        return [TextReply(body=text("tax_nothing_due", language, upic=due["upic"]))]
    lines = [text("tax_due_header", language, upic=due["upic"], address=due["address"])]
    for year in due["years"]:
        line = text("tax_year_line", language, year=year["financial_year"], due=year["due_rupees"])
        if year["rebate_rupees"]:
            line += text("tax_rebate_part", language, rebate=year["rebate_rupees"])
        lines.append(line)
    lines.append(text("tax_total", language, total=due["total_rupees"]))
    if due.get("rebate_until"):
        lines.append(text("tax_rebate_note", language, date=due["rebate_until"]))
    lines.append("")
    lines.append(text("confirm_pay_tax", language, total=due["total_rupees"]))
    return [ButtonsReply(body="\n".join(lines), buttons=yes_no(language))]


def yes_no(language: str) -> list[Button]:
    """Yes and No reply buttons."""
    return [Button(id="yes", title=text("button_yes", language)),
            Button(id="no", title=text("button_no", language))]


def _trim(body: str, limit: int) -> str:
    body = body.strip()
    if len(body) <= limit:
        return body
    cut = body.rfind(" ", 0, limit)
    return body[: cut if cut > 0 else limit] + " …"
