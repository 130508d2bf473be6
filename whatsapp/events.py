"""The project's own types for what a webhook body carries, and the parser that makes them.

A body holds inbound messages, statuses of our messages, marketing-preference changes and
changes we do not use. Parsing never raises on a JSON body: what it cannot read becomes an
`OtherChange`, stored and ignored on purpose.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, ValidationError

from whatsapp.payloads import ChangeValue, Contact, Message, Status, WebhookBody, WireError

logger = logging.getLogger(__name__)


class MessageKind(StrEnum):
    """What a citizen sent, as the channel sees it."""

    TEXT = "text"
    IMAGE = "image"
    DOCUMENT = "document"
    AUDIO = "audio"
    VOICE = "voice"
    VIDEO = "video"
    STICKER = "sticker"
    LOCATION = "location"
    CONTACTS = "contacts"
    REACTION = "reaction"
    BUTTON_REPLY = "button_reply"
    LIST_REPLY = "list_reply"
    QUICK_REPLY = "quick_reply"
    FLOW_REPLY = "flow_reply"
    ORDER = "order"
    SYSTEM = "system"
    EVENT = "event"  # not from WhatsApp: a payment or a decision, queued for the agent
    UNSUPPORTED = "unsupported"
    UNKNOWN = "unknown"


MEDIA_KINDS = frozenset(
    {MessageKind.IMAGE, MessageKind.DOCUMENT, MessageKind.AUDIO, MessageKind.VOICE}
    | {MessageKind.VIDEO, MessageKind.STICKER}
)
CHOICE_KINDS = frozenset(
    {MessageKind.BUTTON_REPLY, MessageKind.LIST_REPLY, MessageKind.QUICK_REPLY}
)


class MediaRef(BaseModel):
    """A media attachment: the id to fetch it by, and what the sender said it is."""

    id: str
    mime_type: str | None = None
    filename: str | None = None
    caption: str | None = None
    sha256: str | None = None


class InboundMessage(BaseModel):
    """One inbound message, routed and typed; stored in the inbox as JSON."""

    message_id: str
    citizen_key: str = Field(description="wa_id, or the business-scoped user id without one.")
    citizen_name: str | None = None
    phone_number_id: str | None = None
    kind: MessageKind
    sent_at: int | None = Field(default=None, description="Unix seconds, from WhatsApp.")
    text: str = ""
    choice_id: str | None = None
    choice_title: str | None = None
    media: MediaRef | None = None
    reply_to: str | None = None
    system_type: str | None = None
    new_citizen_key: str | None = None
    detail: str | None = Field(default=None, description="Flow answer JSON, unsupported type.")


class StatusUpdate(BaseModel):
    """A status of one of our messages: sent, delivered, read, played or failed."""

    wamid: str
    status: str
    timestamp: int | None = None
    citizen_key: str | None = None
    phone_number_id: str | None = None
    callback_data: str | None = None
    error_code: int | None = None
    error_title: str | None = None
    error_detail: str | None = None


class PreferenceChange(BaseModel):
    """A citizen stopped or resumed marketing messages on one number."""

    citizen_key: str
    phone_number_id: str | None = None
    category: str | None = None
    value: str
    timestamp: int | None = None


class OtherChange(BaseModel):
    """A change we do not use (or could not read): kept for operators, otherwise ignored."""

    field: str
    phone_number_id: str | None = None
    reason: str
    raw: dict[str, Any]


class ParsedWebhook(BaseModel):
    """Everything one webhook body carries."""

    messages: list[InboundMessage] = Field(default_factory=list)
    statuses: list[StatusUpdate] = Field(default_factory=list)
    preferences: list[PreferenceChange] = Field(default_factory=list)
    others: list[OtherChange] = Field(default_factory=list)


def parse_webhook(body: Any) -> ParsedWebhook:
    """Turn a decoded webhook body into the project's types; never raises."""
    parsed = ParsedWebhook()
    if not isinstance(body, dict):
        parsed.others.append(OtherChange(field="", reason="not an object", raw={"body": body}))
        return parsed
    try:
        webhook = WebhookBody.model_validate(body)
    except ValidationError:
        parsed.others.append(OtherChange(field="", reason="unreadable body", raw=body))
        return parsed

    for entry in webhook.entry:
        for change in entry.changes:
            _parse_change(change.field, change.value, parsed)
    return parsed


def _parse_change(field: str, raw: dict[str, Any], parsed: ParsedWebhook) -> None:
    if field not in ("messages", "user_preferences"):
        parsed.others.append(OtherChange(field=field, reason="field not used", raw=raw))
        return
    try:
        value = ChangeValue.model_validate(raw)
    except ValidationError:
        parsed.others.append(OtherChange(field=field, reason="unreadable change", raw=raw))
        return

    number = value.metadata.phone_number_id if value.metadata else None
    for message in value.messages:
        parsed.messages.append(_message(message, value.contacts, number, value.errors))
    for status in value.statuses:
        parsed.statuses.append(_status(status, number))
    for preference in value.user_preferences:
        key = preference.wa_id or preference.user_id
        if key and preference.value:
            parsed.preferences.append(
                PreferenceChange(
                    citizen_key=key,
                    phone_number_id=number,
                    category=preference.category,
                    value=preference.value,
                    timestamp=preference.timestamp,
                )
            )
        else:
            reason = "preference without citizen or value"
            parsed.others.append(OtherChange(field=field, phone_number_id=number, reason=reason,
                                             raw=preference.model_dump(mode="json")))
    if not (value.messages or value.statuses or value.user_preferences):
        parsed.others.append(
            OtherChange(field=field, phone_number_id=number, reason="nothing to do", raw=raw)
        )


def _sender(message: Message, contacts: list[Contact]) -> tuple[str, Contact | None]:
    """The citizen key of a message and its contact entry: wa_id first, else user id."""
    contact = None
    for candidate in contacts:
        same_phone = message.from_ and candidate.wa_id == message.from_
        same_user = message.from_user_id and candidate.user_id == message.from_user_id
        if same_phone or same_user:
            contact = candidate
            break
    if contact is None and contacts:
        contact = contacts[0]
    key = message.from_ or message.from_user_id
    if not key and contact is not None:
        key = contact.wa_id or contact.user_id
    return key or "unknown", contact


def _message(
    message: Message, contacts: list[Contact], number: str | None, errors: list[WireError]
) -> InboundMessage:
    key, contact = _sender(message, contacts)
    profile = contact.profile if contact else None
    inbound = InboundMessage(
        message_id=message.id,
        citizen_key=key,
        citizen_name=(profile.name or profile.username) if profile else None,
        phone_number_id=number,
        kind=MessageKind.UNKNOWN,
        sent_at=message.timestamp,
        reply_to=message.context.id if message.context else None,
    )
    _fill(inbound, message)
    if inbound.kind is MessageKind.UNSUPPORTED and inbound.detail is None:
        codes = [str(error.code) for error in (message.errors or errors) if error.code]
        inbound.detail = ",".join(codes) or None
    return inbound


def _fill(inbound: InboundMessage, message: Message) -> None:
    """Set the kind and content of `inbound` from the wire message."""
    kind = message.type
    if kind == "text" and message.text is not None:
        inbound.kind, inbound.text = MessageKind.TEXT, message.text.body
    elif kind in ("image", "document", "video", "sticker", "audio"):
        media = getattr(message, kind)
        if media is None or not media.id:
            inbound.kind, inbound.detail = MessageKind.UNSUPPORTED, f"{kind} without id"
            return
        inbound.kind = MessageKind(kind)
        if kind == "audio" and media.voice:
            inbound.kind = MessageKind.VOICE
        inbound.media = MediaRef(
            id=media.id, mime_type=media.mime_type, filename=media.filename,
            caption=media.caption, sha256=media.sha256,
        )
        inbound.text = media.caption or ""
    elif kind == "interactive" and message.interactive is not None:
        _fill_interactive(inbound, message)
    elif kind == "button" and message.button is not None:
        inbound.kind = MessageKind.QUICK_REPLY
        inbound.choice_id = message.button.payload
        inbound.choice_title = inbound.text = message.button.text
    elif kind == "location" and message.location is not None:
        inbound.kind = MessageKind.LOCATION
    elif kind == "contacts":
        inbound.kind = MessageKind.CONTACTS
    elif kind == "reaction":
        inbound.kind = MessageKind.REACTION
        inbound.reply_to = message.reaction.message_id if message.reaction else None
    elif kind == "order":
        inbound.kind = MessageKind.ORDER
    elif kind == "system" and message.system is not None:
        inbound.kind = MessageKind.SYSTEM
        inbound.system_type = message.system.type
        inbound.new_citizen_key = message.system.wa_id
    elif kind == "unsupported" or kind == "interactive":
        inbound.kind = MessageKind.UNSUPPORTED
        extra = (message.model_extra or {}).get("unsupported")
        inbound.detail = extra.get("type") if isinstance(extra, dict) else None
    else:
        inbound.kind, inbound.detail = MessageKind.UNKNOWN, kind


def _fill_interactive(inbound: InboundMessage, message: Message) -> None:
    interactive = message.interactive
    assert interactive is not None
    if interactive.button_reply is not None:
        inbound.kind = MessageKind.BUTTON_REPLY
        choice = interactive.button_reply
    elif interactive.list_reply is not None:
        inbound.kind = MessageKind.LIST_REPLY
        choice = interactive.list_reply
    elif interactive.nfm_reply is not None:
        inbound.kind = MessageKind.FLOW_REPLY
        inbound.text = interactive.nfm_reply.body or ""
        inbound.detail = interactive.nfm_reply.response_json
        return
    else:
        inbound.kind, inbound.detail = MessageKind.UNSUPPORTED, interactive.type
        return
    inbound.choice_id, inbound.choice_title = choice.id, choice.title
    inbound.text = choice.title


def _status(status: Status, number: str | None) -> StatusUpdate:
    error = status.errors[0] if status.errors else None
    return StatusUpdate(
        wamid=status.id,
        status=status.status,
        timestamp=status.timestamp,
        citizen_key=status.recipient_id or status.recipient_user_id,
        phone_number_id=number,
        callback_data=status.biz_opaque_callback_data,
        error_code=error.code if error else None,
        error_title=(error.title or error.message) if error else None,
        error_detail=error.error_data.details if error and error.error_data else None,
    )
