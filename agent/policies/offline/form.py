"""The next step of a form: the next question, the next document, or the summary to confirm."""

from __future__ import annotations

from typing import Any

from agent.i18n import local, text
from agent.messages import Button, ButtonsReply, ListReply, ListRow, ListSection, Reply, TextReply
from agent.policies.offline.present import yes_no
from tools.catalog.schema import FieldSpec, FieldType, Service
from tools.eligibility import fields_to_ask

MAX_BUTTON_OPTIONS = 3


def next_step(
    service: Service, summary: dict[str, Any], language: str, skipped: list[str]
) -> tuple[list[Reply], dict[str, Any]]:
    """What to ask next for an application, and the state that goes with asking it."""
    pending = fields_to_ask(service, summary["fields"], set(skipped))
    if pending:
        spec = service.field(pending[0])
        return question(spec, language), {"awaiting": f"field:{spec.name}", "pending_call": None}

    if summary["missing_documents"]:
        slot = summary["missing_documents"][0]
        return ask_document(service, slot, language), {
            "awaiting": f"document:{slot}",
            "pending_call": None,
        }

    return confirm_summary(service, summary, language)


def question(spec: FieldSpec, language: str) -> list[Reply]:
    """The question for a field, with buttons or a list for its options when it has them."""
    body = local(spec.question, language)
    skip = Button(id="skip", title=text("button_skip", language))
    if spec.type is FieldType.CHOICE and len(spec.options) + (not spec.required) <= 3:
        buttons = [Button(id=f"opt:{o.value}", title=local(o.label, language)[:20])
                   for o in spec.options]
        if not spec.required:
            buttons.append(skip)
        return [ButtonsReply(body=body, buttons=buttons)]
    if spec.type is FieldType.CHOICE:
        rows = [ListRow(id=f"opt:{o.value}", title=local(o.label, language)[:24])
                for o in spec.options]
        if not spec.required:
            rows.append(ListRow(id="skip", title=text("button_skip", language)))
        return [ListReply(body=body, button=text("button_choose", language),
                          sections=[ListSection(title=text("options_section", language),
                                                rows=rows)])]
    if spec.type is FieldType.CHOICES:
        names = ", ".join(f"{o.value} ({local(o.label, language)})" for o in spec.options)
        body = f"{body}\n{text('choices_hint', language, options=names)}"
    if not spec.required:
        return [ButtonsReply(body=body, buttons=[skip])]
    return [TextReply(body=body)]


def ask_document(service: Service, slot: str, language: str) -> list[Reply]:
    """Ask for one document as a photo or PDF."""
    spec = service.document(slot)
    body = text("ask_document", language, document=local(spec.name, language))
    alternatives = [local(service.document(alt).name, language) for alt in spec.alternatives]
    if alternatives:
        body += "\n" + text("ask_document_alternatives", language,
                            documents=", ".join(alternatives))
    if spec.examples:
        body += "\n" + local(spec.examples, language)
    return [TextReply(body=body)]


def confirm_summary(
    service: Service, summary: dict[str, Any], language: str
) -> tuple[list[Reply], dict[str, Any]]:
    """Everything the citizen gave, the fee, and Yes or No to pay or submit."""
    lines = [text("summary_header", language, number=summary["number"],
                  service=local(service.name, language))]
    for spec in service.fields:
        value = summary["fields"].get(spec.name)
        if value is not None:
            lines.append(f"• {local(spec.label, language)}: {shown(spec, value, language)}")
    if summary["documents"]:
        names = [local(service.document(slot).name, language) for slot in summary["documents"]
                 if _has_document(service, slot)]
        lines.append(text("summary_documents", language, documents=", ".join(names)))

    number = summary["number"]
    if summary["fee_rupees"] > 0 and not summary["paid"]:
        lines.append(text("summary_fee", language, amount=summary["fee_rupees"]))
        lines.append("")
        lines.append(text("confirm_pay", language, amount=summary["fee_rupees"]))
        call = {"name": "create_payment", "arguments": {"application_number": number}}
    else:
        lines.append(text("summary_no_fee" if not summary["paid"] else "summary_paid", language))
        lines.append("")
        lines.append(text("confirm_submit", language))
        call = {"name": "submit_application", "arguments": {"application_number": number}}
    body = "\n".join(lines)
    return [ButtonsReply(body=body, buttons=yes_no(language))], {
        "awaiting": "confirm",
        "pending_call": call,
    }


def _has_document(service: Service, slot: str) -> bool:
    return any(doc.id == slot for doc in service.documents)


def shown(spec: FieldSpec, value: Any, language: str) -> str:
    """A stored value as the citizen reads it: option labels, dates as day/month/year."""
    if spec.type in (FieldType.CHOICE, FieldType.CHOICES):
        labels = {o.value: local(o.label, language) for o in spec.options}
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(v, str(v)) for v in values)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if spec.type is FieldType.DATE:
        year, month, day = str(value).split("-")
        return f"{day}/{month}/{year}"
    return str(value)
