"""The default media sink: inbound files go to document storage (`tools.documents`)."""

from __future__ import annotations

import logging

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from tools.clock import Clock
from tools.db.models import Citizen
from tools.settings import Settings
from whatsapp.media import MediaFile, MediaRejected, MediaSink

logger = logging.getLogger(__name__)


def documents_sink(settings: Settings, engine: Engine, clock: Clock) -> MediaSink:
    """A sink that checks, encrypts and records each file with `receive_document`."""
    # Imported here: document storage pulls in PDF and image libraries the webhook never needs.
    from tools.documents.intake import DocumentRejected, IntakeLimits
    from tools.documents.service import intake_limits, receive_document
    from tools.documents.vault import Vault

    vault = Vault.from_settings(settings)
    try:
        limits = intake_limits(settings)
    except AttributeError:
        limits = IntakeLimits(max_bytes=settings.whatsapp_max_media_bytes)

    def sink(*, citizen_key: str, media: MediaFile, source_message_id: str) -> int:
        with Session(engine) as session:
            citizen = session.exec(select(Citizen).where(Citizen.wa_id == citizen_key)).first()
            if citizen is None or citizen.id is None:
                raise MediaRejected("no_citizen", "the citizen row is missing")
            try:
                document = receive_document(
                    session, vault, citizen_id=citizen.id, data=media.data,
                    declared_mime=media.mime_type, filename=media.filename,
                    source_message_id=source_message_id, clock=clock, limits=limits,
                )
            except DocumentRejected as rejected:
                raise MediaRejected(str(rejected.code), rejected.detail) from rejected
            assert document.id is not None
            return document.id

    return sink
