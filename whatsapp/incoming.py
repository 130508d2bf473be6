"""From a stored inbound message to the agent's channel-neutral `Incoming`."""

from __future__ import annotations

from agent.messages import Incoming, IncomingKind
from whatsapp.events import CHOICE_KINDS, InboundMessage, MessageKind

UNSUPPORTED_NOTICE = (
    "माफ़ कीजिए, इस तरह का संदेश मैं नहीं पढ़ सकता। कृपया लिखकर भेजें, या दस्तावेज़ की फ़ोटो "
    "(JPG, PNG) या PDF भेजें।\n"
    "Sorry, I cannot read this kind of message. Please type it, or send a photo (JPG, PNG) "
    "or a PDF of the document."
)


def to_incoming(
    message: InboundMessage,
    department: str | None,
    menu: list[dict[str, str]],
    document_id: int | None = None,
    rejected: str | None = None,
) -> Incoming:
    """The `Incoming` for a stored message.

    Args:
        message: the inbound message as stored in the inbox.
        department: the department of the number the citizen wrote to.
        menu: choices last sent as numbered text; a bare number picks one.
        document_id: the stored document of an image or document message.
        rejected: why its file was refused (`too_large`, `unsupported_type`, …), if it was.
    """
    incoming = Incoming(
        message_id=message.message_id,
        citizen_id=message.citizen_key,
        citizen_name=message.citizen_name,
        department=department,
        text=message.text,
    )
    kind = message.kind

    if kind is MessageKind.TEXT:
        picked = _pick(message.text, menu)
        if picked is not None:
            incoming.kind = IncomingKind.CHOICE
            incoming.choice_id, incoming.choice_title = picked["id"], picked["title"]
    elif kind in CHOICE_KINDS:
        incoming.kind = IncomingKind.CHOICE
        incoming.choice_id, incoming.choice_title = message.choice_id, message.choice_title
    elif kind in (MessageKind.IMAGE, MessageKind.DOCUMENT) and document_id is not None:
        incoming.kind = IncomingKind.DOCUMENT
        incoming.document_id = document_id
    elif kind in (MessageKind.IMAGE, MessageKind.DOCUMENT):
        incoming.kind = IncomingKind.UNSUPPORTED
        incoming.media_kind = f"{kind.value}:{rejected or 'not_stored'}"
    else:
        incoming.kind = IncomingKind.UNSUPPORTED
        incoming.media_kind = "flow" if kind is MessageKind.FLOW_REPLY else kind.value
    return incoming


def _pick(text: str, menu: list[dict[str, str]]) -> dict[str, str] | None:
    """The menu choice a bare number (any script's digits) names, if any."""
    answer = text.strip().rstrip(".")
    if not menu or not answer.isdigit() or len(answer) > 2:
        return None
    index = int(answer)
    return menu[index - 1] if 1 <= index <= len(menu) else None
