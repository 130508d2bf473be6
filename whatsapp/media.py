"""Inbound media: fetch the bytes by media id at once, check them, hand them to storage.

The Cloud API gives a media id; `GET /{id}` gives a URL valid for minutes; the bytes come from
that URL with the bearer token. The channel checks the declared type and the size, then a
`MediaSink` stores the file (document storage encrypts it and reads its real type) and returns
the document's row id.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from whatsapp.client import CloudClient
from whatsapp.errors import GraphError, MediaTooLarge
from whatsapp.events import MediaRef

logger = logging.getLogger(__name__)

ACCEPTED_MIME_TYPES = ("image/jpeg", "image/png", "image/webp", "application/pdf")
ACCEPTED_NOTICE = (
    "माफ़ कीजिए, यह फ़ाइल हम नहीं ले सकते। कृपया दस्तावेज़ की फ़ोटो (JPG या PNG) या PDF भेजें।\n"
    "Sorry, we cannot use this file. Please send a photo (JPG or PNG) or a PDF of the document."
)


class MediaRejected(Exception):
    """A file the channel or storage refused; `reason` is a stable code such as `too_large`."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(detail or reason)
        self.reason = reason


@dataclass(frozen=True)
class MediaFile:
    """The bytes of one inbound file and what WhatsApp said it is."""

    data: bytes
    mime_type: str | None
    filename: str | None
    sha256: str | None


class MediaSink(Protocol):
    """Where inbound files go: stores one and returns its document row id.

    Called in a worker thread. Raises `MediaRejected` for a file that storage refuses.
    """

    def __call__(self, *, citizen_key: str, media: MediaFile, source_message_id: str) -> int:
        """Store the file of one message for one citizen; return the document id."""
        ...


def base_mime(mime_type: str | None) -> str:
    """`image/jpeg` from `image/jpeg; charset=…`, lower case."""
    return (mime_type or "").split(";")[0].strip().lower()


async def fetch_media(client: CloudClient, media: MediaRef, max_bytes: int) -> MediaFile:
    """Download and check one inbound file.

    Raises:
        MediaRejected: for a type we do not accept (`unsupported_type`), a file over the limit
            (`too_large`), or a download that failed for good (`download_failed`).
    """
    declared = base_mime(media.mime_type)
    if declared and declared not in ACCEPTED_MIME_TYPES:
        raise MediaRejected("unsupported_type", f"declared type {declared}")

    try:
        info = await client.media_info(media.id)
        if info.file_size is not None and info.file_size > max_bytes:
            raise MediaRejected("too_large", f"{info.file_size} bytes")
        mime = base_mime(info.mime_type) or declared
        if mime and mime not in ACCEPTED_MIME_TYPES:
            raise MediaRejected("unsupported_type", f"type {mime}")
        data = await client.download(info.url, max_bytes)
    except MediaTooLarge as error:
        raise MediaRejected("too_large", str(error)) from error
    except GraphError as error:
        logger.warning("media %s could not be fetched: %s", media.id, error)
        raise MediaRejected("download_failed", str(error)) from error

    if not data:
        raise MediaRejected("empty", "no bytes")
    return MediaFile(data=data, mime_type=mime or None, filename=media.filename,
                     sha256=info.sha256 or media.sha256)
