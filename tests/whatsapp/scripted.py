"""A scripted conversation handler for the channel's tests: no agent, predictable replies."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from agent.messages import (
    Button,
    ButtonsReply,
    DocumentReply,
    ImageReply,
    Incoming,
    IncomingKind,
    ListReply,
    ListRow,
    ListSection,
    Reply,
    TextReply,
)

SERVICES = [
    ("birth_certificate", "Birth certificate", "mcd"),
    ("property_tax", "Property tax", "mcd"),
    ("learner_licence", "Learner licence", "transport"),
    ("caste_certificate", "Caste certificate", "revenue"),
]

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


class ScriptedHandler:
    """Hi → list of services (the number's department first); a choice → buttons; more."""

    def __init__(self, files: Path, delay: float = 0.0) -> None:
        self.files = files
        self.delay = delay
        self.seen: list[Incoming] = []
        self._lock = threading.Lock()
        receipt = files / "receipt.pdf"
        receipt.write_bytes(MINIMAL_PDF)
        self.receipt = receipt

    def handle(self, incoming: Incoming) -> list[Reply]:
        with self._lock:
            self.seen.append(incoming)
        if self.delay:
            time.sleep(self.delay)
        if incoming.kind is IncomingKind.DOCUMENT:
            return [TextReply(body=f"Got your document #{incoming.document_id}")]
        if incoming.kind is IncomingKind.UNSUPPORTED:
            return [TextReply(body=f"Cannot read {incoming.media_kind}")]
        if incoming.kind is IncomingKind.CHOICE:
            if incoming.choice_id == "pay":
                return [
                    TextReply(body="Pay here: http://127.0.0.1/pay/abc"),
                    DocumentReply(path=str(self.receipt), filename="receipt.pdf",
                                  caption="Your receipt"),
                ]
            if incoming.choice_id == "image":
                return [ImageReply(path=str(self.receipt), caption="QR")]
            return [
                ButtonsReply(
                    body=f"You chose {incoming.choice_title}. Continue?",
                    buttons=[Button(id="pay", title="Pay now"), Button(id="no", title="Later")],
                )
            ]
        text = incoming.text.strip().lower()
        if text in ("hi", "नमस्ते", "namaste"):
            ordered = sorted(SERVICES, key=lambda s: s[2] != incoming.department)
            rows = [ListRow(id=s[0], title=s[1]) for s in ordered]
            return [
                ListReply(
                    body="Choose a service", button="Services",
                    sections=[ListSection(title="Services", rows=rows)],
                )
            ]
        if text == "many":
            buttons = [Button(id=f"b{i}", title=f"Option {i}") for i in range(5)]
            return [ButtonsReply(body="Pick one", buttons=buttons)]
        if text == "boom":
            raise RuntimeError("scripted failure")
        return [TextReply(body=f"echo: {incoming.text}")]
