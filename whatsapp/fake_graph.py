"""A local fake of the Graph API's messages and media endpoints, for the simulator and tests.

It checks the bearer token and WhatsApp's size limits the way the real API would reject them,
keeps every message it is asked to send (the simulator shows them), stores uploaded media, and
can post `sent`, `delivered` and `read` status webhooks back to the app, signed like Meta's.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import logging
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import httpx
from fastapi import FastAPI, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from whatsapp import render
from whatsapp.loopback_http import LoopbackClient
from whatsapp.webhook_bodies import new_message_id, signed, status_body

logger = logging.getLogger(__name__)


@dataclass
class Sent:
    """One message the app sent through the fake."""

    seq: int
    wamid: str
    phone_number_id: str
    to: str
    request: dict[str, Any]
    received_at: float
    read: bool = False


@dataclass
class StoredMedia:
    """A file held by the fake, uploaded by the app or by a simulated citizen."""

    data: bytes
    mime_type: str
    filename: str
    sha256: str = field(init=False)

    def __post_init__(self) -> None:
        self.sha256 = hashlib.sha256(self.data).hexdigest()


class FakeGraph:
    """The fake's state and its ASGI app (`.app`), mounted under the API URL's path."""

    def __init__(
        self,
        access_token: str,
        app_secret: str,
        *,
        webhook_url: str | None = None,
        statuses: bool = True,
        keep: int = 5000,
    ) -> None:
        self.access_token = access_token
        self.app_secret = app_secret
        self.webhook_url = webhook_url
        self.statuses = statuses
        self.sent: deque[Sent] = deque(maxlen=keep)
        self.media: dict[str, StoredMedia] = {}
        self._seq = itertools.count(1)
        self._media_ids = itertools.count(700000001)
        self._failures: deque[tuple[int, int]] = deque()
        self._tasks: set[asyncio.Task[None]] = set()
        self._http: httpx.AsyncClient | None = None
        self._loopback: LoopbackClient | None = None
        self.transport: httpx.AsyncBaseTransport | None = None
        self.app = self._build()

    def fail_next(self, count: int, status: int = 500, code: int = 131000) -> None:
        """Make the next `count` message sends fail with this HTTP status and error code."""
        self._failures.extend([(status, code)] * count)

    def store_media(self, data: bytes, mime_type: str, filename: str) -> str:
        """Keep a file as the Cloud API would and return its media id."""
        media_id = str(next(self._media_ids))
        self.media[media_id] = StoredMedia(data, mime_type, filename)
        return media_id

    def for_citizen(self, citizen: str, after: int = 0) -> list[Sent]:
        """Messages sent to one citizen with a sequence number above `after`."""
        return [item for item in self.sent if item.to == citizen and item.seq > after]

    def mark_read(self, items: list[Sent], base_url: str) -> None:
        """The citizen saw these messages: post `read` statuses for them."""
        for item in items:
            if not item.read:
                item.read = True
                self._emit(item, ["read"], base_url)

    async def aclose(self) -> None:
        """Finish pending status posts and close the HTTP client."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._http is not None:
            await self._http.aclose()
        if self._loopback is not None:
            await self._loopback.close()

    def _build(self) -> FastAPI:
        app = FastAPI(title="Fake Graph API", docs_url=None, redoc_url=None, openapi_url=None)

        @app.post("/{phone_number_id}/messages")
        async def send(phone_number_id: str, request: Request) -> Response:
            if not self._authorised(request):
                return _error(401, 190, "Invalid OAuth access token")
            body = await request.json()
            problem = check_message(body)
            if problem:
                return _error(400, 100, f"Invalid parameter: {problem}")
            if self._failures:
                status, code = self._failures.popleft()
                return _error(status, code, "Injected failure")
            to = str(body.get("to") or body.get("recipient") or "")
            item = Sent(next(self._seq), new_message_id(), phone_number_id, to, body, time.time())
            self.sent.append(item)
            self._emit(item, ["sent", "delivered"], str(request.base_url))
            return JSONResponse(
                {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": to, "wa_id": to}],
                    "messages": [{"id": item.wamid}],
                }
            )

        @app.post("/{phone_number_id}/media")
        async def upload(phone_number_id: str, request: Request, file: UploadFile) -> Response:
            if not self._authorised(request):
                return _error(401, 190, "Invalid OAuth access token")
            data = await file.read()
            mime = file.content_type or "application/octet-stream"
            return JSONResponse({"id": self.store_media(data, mime, file.filename or "file")})

        @app.get("/_sent")
        async def sent_log(request: Request, after: int = 0) -> Response:
            # Not part of the Graph API: lets the benchmark time replies.
            if not self._authorised(request):
                return _error(401, 190, "Invalid OAuth access token")
            items = [
                {"seq": item.seq, "to": item.to, "received_at": item.received_at,
                 "key": item.request.get("biz_opaque_callback_data")}
                for item in self.sent if item.seq > after
            ]
            return JSONResponse(items)

        @app.get("/_files/{media_id}")
        async def download(media_id: str, request: Request) -> Response:
            if not self._authorised(request):
                return _error(401, 190, "Invalid OAuth access token")
            media = self.media.get(media_id)
            if media is None:
                return _error(404, 100, "Unknown media")
            return Response(media.data, media_type=media.mime_type)

        @app.get("/{media_id}")
        async def media_info(media_id: str, request: Request) -> Response:
            if not self._authorised(request):
                return _error(401, 190, "Invalid OAuth access token")
            media = self.media.get(media_id)
            if media is None:
                return _error(404, 100, "Unknown media")
            return JSONResponse(
                {
                    "messaging_product": "whatsapp",
                    "url": str(request.url_for("download", media_id=media_id)),
                    "mime_type": media.mime_type,
                    "sha256": media.sha256,
                    "file_size": len(media.data),
                    "id": media_id,
                }
            )

        return app

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("authorization") == f"Bearer {self.access_token}"

    def _emit(self, item: Sent, statuses: list[str], base_url: str) -> None:
        """Post status webhooks for a sent message in the background."""
        if not self.statuses:
            return
        url = self.webhook_url or _app_root(base_url) + "/webhook"
        task = asyncio.create_task(self._post_statuses(item, statuses, url))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _post_statuses(self, item: Sent, statuses: list[str], url: str) -> None:
        body = status_body(
            phone_number_id=item.phone_number_id, wamid=item.wamid, status=statuses,
            recipient=item.to, callback_data=item.request.get("biz_opaque_callback_data"),
        )
        raw, headers = signed(body, self.app_secret)
        if self.transport is None:
            # Alone in its process (load tests): a bare keep-alive client, so that standing in
            # for Meta costs the shared cores as little as it can.
            target = urlparse(url)
            if self._loopback is None:
                self._loopback = LoopbackClient(f"{target.scheme}://{target.netloc}")
            try:
                await self._loopback.post(target.path or "/", raw, headers)
            except (OSError, asyncio.IncompleteReadError, ValueError) as error:
                logger.debug("fake graph could not post a status: %s", error)
            return
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=5.0, transport=self.transport)
        try:
            await self._http.post(url, content=raw, headers=headers)
        except httpx.HTTPError as error:
            logger.debug("fake graph could not post a status: %s", error)


def _app_root(base_url: str) -> str:
    """The app's root URL from the fake's own base URL (`…/fake-graph/v21.0/`)."""
    root = base_url.rstrip("/")
    marker = root.find("/fake-graph")
    return root[:marker] if marker >= 0 else root


def _error(status: int, code: int, message: str) -> JSONResponse:
    body = {"error": {"message": message, "type": "OAuthException", "code": code}}
    return JSONResponse(body, status_code=status)


def check_message(body: dict[str, Any]) -> str | None:
    """What the real API would reject in a send request, or None."""
    if body.get("messaging_product") != "whatsapp":
        return "messaging_product must be whatsapp"
    if not (body.get("to") or body.get("recipient")):
        return "to is required"
    kind = body.get("type")
    if kind == "text":
        text = body.get("text", {}).get("body", "")
        return "text too long" if not text or len(text) > render.MAX_TEXT else None
    if kind == "interactive":
        return _check_interactive(body.get("interactive", {}))
    if kind in ("image", "document"):
        media = body.get(kind, {})
        return None if media.get("id") or media.get("link") else f"{kind} needs id or link"
    if kind == "template":
        return None if body.get("template", {}).get("name") else "template needs a name"
    return f"type {kind!r} not supported by the fake"


def _check_interactive(interactive: dict[str, Any]) -> str | None:
    body = interactive.get("body", {}).get("text", "")
    if not body or len(body) > render.MAX_INTERACTIVE_BODY:
        return "interactive body missing or too long"
    action = interactive.get("action", {})
    if interactive.get("type") == "button":
        buttons = action.get("buttons", [])
        if not 0 < len(buttons) <= render.MAX_BUTTONS:
            return "1 to 3 buttons"
        if any(len(b["reply"]["title"]) > render.MAX_BUTTON_TITLE for b in buttons):
            return "button title too long"
        return None
    if interactive.get("type") == "list":
        rows = [row for section in action.get("sections", []) for row in section["rows"]]
        if not 0 < len(rows) <= render.MAX_ROWS:
            return "1 to 10 rows"
        if len(action.get("button", "")) > render.MAX_LIST_BUTTON:
            return "list button too long"
        if any(len(row["title"]) > render.MAX_ROW_TITLE for row in rows):
            return "row title too long"
        if any(len(row.get("description", "")) > render.MAX_ROW_DESCRIPTION for row in rows):
            return "row description too long"
        return None
    if interactive.get("type") == "cta_url":
        return None
    return "unknown interactive type"
