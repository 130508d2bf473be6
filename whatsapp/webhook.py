"""The webhook: `GET /webhook` answers Meta's verification, `POST /webhook` takes deliveries.

A POST is checked (401 without a signature, 403 with a wrong one, 400 when not JSON), parsed,
written to the inbox, and acknowledged with 200; the worker does the rest. Anything in a valid
body that we do not use is stored and ignored, never an error.
"""

from __future__ import annotations

import hmac
import json
import logging

from fastapi import APIRouter, Query, Request
from fastapi.responses import PlainTextResponse, Response

from whatsapp.channel import Channel
from whatsapp.events import parse_webhook
from whatsapp.inbox import store_webhook
from whatsapp.signature import verify
from whatsapp.timeutil import now_utc

logger = logging.getLogger(__name__)

router = APIRouter()


@router.get("/webhook", response_class=PlainTextResponse)
async def verify_subscription(
    request: Request,
    mode: str = Query("", alias="hub.mode"),
    token: str = Query("", alias="hub.verify_token"),
    challenge: str = Query("", alias="hub.challenge"),
) -> PlainTextResponse:
    """Answer Meta's subscription check with the challenge, or 403."""
    channel: Channel = request.app.state.channel
    expected = channel.settings.secret("whatsapp_verify_token")
    if mode == "subscribe" and hmac.compare_digest(token.encode(), expected.encode()):
        logger.info("webhook subscription verified")
        return PlainTextResponse(challenge)
    logger.warning("webhook verification refused")
    return PlainTextResponse("forbidden", status_code=403)


@router.post("/webhook")
async def receive(request: Request) -> Response:
    """Store one delivery and acknowledge it."""
    channel: Channel = request.app.state.channel
    body = await request.body()

    header = request.headers.get("x-hub-signature-256")
    if not header:
        return PlainTextResponse("missing signature", status_code=401)
    if not verify(body, header, channel.settings.secret("whatsapp_app_secret")):
        logger.warning("webhook with a wrong signature refused")
        return PlainTextResponse("wrong signature", status_code=403)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return PlainTextResponse("body is not JSON", status_code=400)

    parsed = parse_webhook(data)
    stored = await channel.writer.write(
        store_webhook, parsed, channel.numbers, now_utc(channel.clock)
    )
    if channel.worker is not None and stored.citizens:
        channel.worker.notify(stored.citizens)
    if stored.duplicates:
        logger.info("webhook: %d duplicate messages ignored", stored.duplicates)
    logger.debug(
        "webhook: %d new, %d statuses, %d other", stored.new, stored.statuses, stored.others
    )
    return PlainTextResponse("ok")

