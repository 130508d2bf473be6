"""Webhook bodies as WhatsApp sends them, as lenient pydantic models.

Unknown keys are kept (`extra="allow"`) and almost every field is optional: a field Meta adds
tomorrow must never turn a delivery into an error. `events.py` turns these into our own types.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Wire(BaseModel):
    """Base of every wire model: keep unknown keys, accept missing ones."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class ErrorData(Wire):
    """Extra detail of a Cloud API error."""

    details: str | None = None


class WireError(Wire):
    """An error object, as found in statuses, messages and change values."""

    code: int | None = None
    title: str | None = None
    message: str | None = None
    error_data: ErrorData | None = None


class Metadata(Wire):
    """Which business number the change concerns."""

    display_phone_number: str | None = None
    phone_number_id: str | None = None


class Profile(Wire):
    """The citizen's WhatsApp profile."""

    name: str | None = None
    username: str | None = None


class Contact(Wire):
    """The sender of the messages in a change."""

    profile: Profile | None = None
    wa_id: str | None = None
    user_id: str | None = None


class Text(Wire):
    """A text message body."""

    body: str = ""


class Media(Wire):
    """Image, document, audio, video or sticker: an id to fetch, a type and a digest."""

    id: str | None = None
    mime_type: str | None = None
    sha256: str | None = None
    caption: str | None = None
    filename: str | None = None
    url: str | None = None
    voice: bool | None = None
    animated: bool | None = None


class Location(Wire):
    """A shared location."""

    latitude: float | None = None
    longitude: float | None = None
    name: str | None = None
    address: str | None = None
    url: str | None = None


class Reaction(Wire):
    """An emoji on an earlier message; no emoji means the reaction was removed."""

    message_id: str | None = None
    emoji: str | None = None


class ReplyChoice(Wire):
    """A tapped reply button or list row."""

    id: str = ""
    title: str = ""
    description: str | None = None


class FlowReply(Wire):
    """The answer of a WhatsApp Flow."""

    response_json: str | None = None
    body: str | None = None
    name: str | None = None


class Interactive(Wire):
    """An answer to an interactive message."""

    type: str | None = None
    button_reply: ReplyChoice | None = None
    list_reply: ReplyChoice | None = None
    nfm_reply: FlowReply | None = None


class QuickReply(Wire):
    """A tapped quick-reply button of a template."""

    payload: str = ""
    text: str = ""


class System(Wire):
    """A system notice: the citizen changed number or identity."""

    body: str | None = None
    wa_id: str | None = None
    type: str | None = None


class Context(Wire):
    """What a message answers or whether it was forwarded."""

    id: str | None = None
    forwarded: bool | None = None
    frequently_forwarded: bool | None = None


class Message(Wire):
    """One inbound message of any type."""

    id: str
    from_: str | None = Field(default=None, alias="from")
    from_user_id: str | None = None
    timestamp: int | None = None
    type: str = "unknown"
    context: Context | None = None
    text: Text | None = None
    image: Media | None = None
    document: Media | None = None
    audio: Media | None = None
    video: Media | None = None
    sticker: Media | None = None
    location: Location | None = None
    contacts: list[dict[str, Any]] | None = None
    reaction: Reaction | None = None
    interactive: Interactive | None = None
    button: QuickReply | None = None
    order: dict[str, Any] | None = None
    system: System | None = None
    errors: list[WireError] | None = None


class Status(Wire):
    """A delivery status of a message we sent."""

    id: str
    status: str
    timestamp: int | None = None
    recipient_id: str | None = None
    recipient_user_id: str | None = None
    biz_opaque_callback_data: str | None = None
    errors: list[WireError] | None = None


class UserPreference(Wire):
    """A citizen stopping or resuming marketing messages."""

    wa_id: str | None = None
    user_id: str | None = None
    category: str | None = None
    value: str | None = None
    detail: str | None = None
    timestamp: int | None = None


class ChangeValue(Wire):
    """The value of one change: messages, statuses or preferences, with the number's metadata."""

    messaging_product: str | None = None
    metadata: Metadata | None = None
    contacts: list[Contact] = Field(default_factory=list)
    messages: list[Message] = Field(default_factory=list)
    statuses: list[Status] = Field(default_factory=list)
    user_preferences: list[UserPreference] = Field(default_factory=list)
    errors: list[WireError] = Field(default_factory=list)


class Change(Wire):
    """One change of an entry; `field` says what kind (`messages`, `user_preferences`, …)."""

    field: str = ""
    value: dict[str, Any] = Field(default_factory=dict)


class Entry(Wire):
    """Changes of one WhatsApp Business Account."""

    id: str | None = None
    changes: list[Change] = Field(default_factory=list)


class WebhookBody(Wire):
    """A whole webhook POST body."""

    object: str | None = None
    entry: list[Entry] = Field(default_factory=list)
