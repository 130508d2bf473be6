"""Channel-neutral messages: what a citizen sends in and what the bot sends back.

The WhatsApp channel turns webhook bodies into `Incoming` and turns each `Reply` into a Cloud
API call; the terminal chat and the evals use the same types, so every channel runs one path.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal, Protocol

from pydantic import BaseModel, Field


class IncomingKind(StrEnum):
    """What a citizen sent."""

    TEXT = "text"
    CHOICE = "choice"  # a tapped reply button or list row
    DOCUMENT = "document"  # a photo or file, already stored by the channel
    UNSUPPORTED = "unsupported"  # audio, sticker, location and the rest
    EVENT = "event"  # not from the citizen: a payment captured, an officer's decision


class Incoming(BaseModel):
    """One message from a citizen, whatever the channel."""

    message_id: str = Field(description="The channel's unique id, used for idempotency keys.")
    citizen_id: str = Field(description="wa_id, or the business-scoped user id.")
    citizen_name: str | None = None
    department: str | None = Field(default=None, description="Department of the number used.")
    kind: IncomingKind = IncomingKind.TEXT
    text: str = ""
    choice_id: str | None = None
    choice_title: str | None = None
    document_id: int | None = Field(default=None, description="Row id of the stored document.")
    media_kind: str | None = Field(default=None, description="For unsupported: what it was.")
    rejection: str | None = Field(
        default=None, description="For a document refused at intake: the reason code."
    )
    event: str | None = Field(default=None, description="For events: payment_captured, …")
    event_data: dict[str, Any] = Field(default_factory=dict)


class Button(BaseModel):
    """A reply button: WhatsApp allows three, titles up to 20 characters."""

    id: str
    title: str


class ListRow(BaseModel):
    """A row of a list message: titles up to 24 characters, descriptions up to 72."""

    id: str
    title: str
    description: str | None = None


class ListSection(BaseModel):
    """A titled group of rows in a list message."""

    title: str
    rows: list[ListRow]


class TextReply(BaseModel):
    """Plain text, up to 4096 characters."""

    type: Literal["text"] = "text"
    body: str


class ButtonsReply(BaseModel):
    """A body with up to three reply buttons."""

    type: Literal["buttons"] = "buttons"
    body: str
    buttons: list[Button]


class ListReply(BaseModel):
    """A body with a button that opens a list of up to ten rows."""

    type: Literal["list"] = "list"
    body: str
    button: str
    sections: list[ListSection]


class DocumentReply(BaseModel):
    """A file to send, such as a receipt or a certificate PDF."""

    type: Literal["document"] = "document"
    path: str
    filename: str
    caption: str | None = None
    mime_type: str = "application/pdf"


class ImageReply(BaseModel):
    """An image to send, such as a UPI QR code."""

    type: Literal["image"] = "image"
    path: str
    caption: str | None = None
    mime_type: str = "image/png"


Reply = Annotated[
    TextReply | ButtonsReply | ListReply | DocumentReply | ImageReply, Field(discriminator="type")
]


class ConversationHandler(Protocol):
    """What a channel calls for each citizen message: the agent, in production."""

    def handle(self, incoming: Incoming) -> list[Reply]:
        """Process one message and return the replies to send, in order."""
        ...
