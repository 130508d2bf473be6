"""Webhook bodies shaped like the Cloud API's, for the simulator, the fake and the benchmark."""

from __future__ import annotations

import base64
import itertools
import json
import os
import time
from typing import Any

from whatsapp.signature import sign

_counter = itertools.count(1)


def new_message_id() -> str:
    """A fresh id in the style of a wamid."""
    raw = f"{os.getpid()}-{time.time_ns()}-{next(_counter)}".encode()
    return "wamid." + base64.b64encode(raw).decode().rstrip("=")


def envelope(phone_number_id: str, display_phone_number: str, value: dict[str, Any]) -> dict:
    """A whole body around one change value of the `messages` field."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "0",
                "changes": [
                    {
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": display_phone_number,
                                "phone_number_id": phone_number_id,
                            },
                            **value,
                        },
                        "field": "messages",
                    }
                ],
            }
        ],
    }


def message_body(
    *,
    phone_number_id: str,
    display_phone_number: str,
    citizen: str,
    name: str,
    content: dict[str, Any],
    message_id: str | None = None,
    timestamp: int | None = None,
    context_id: str | None = None,
) -> tuple[str, dict[str, Any]]:
    """A body carrying one inbound message; `content` holds `type` and its object.

    Returns:
        The message id and the body.
    """
    message_id = message_id or new_message_id()
    message: dict[str, Any] = {
        "from": citizen,
        "id": message_id,
        "timestamp": str(timestamp or int(time.time())),
        **content,
    }
    if context_id:
        message["context"] = {"from": display_phone_number, "id": context_id}
    value = {
        "contacts": [{"profile": {"name": name}, "wa_id": citizen}],
        "messages": [message],
    }
    return message_id, envelope(phone_number_id, display_phone_number, value)


def status_body(
    *, phone_number_id: str, wamid: str, status: str | list[str], recipient: str,
    callback_data: str | None = None, error: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A body carrying statuses of one message we sent (several in order, as Meta batches)."""
    items = []
    for name in [status] if isinstance(status, str) else status:
        item: dict[str, Any] = {
            "id": wamid,
            "status": name,
            "timestamp": str(int(time.time())),
            "recipient_id": recipient,
        }
        if callback_data:
            item["biz_opaque_callback_data"] = callback_data
        if error:
            item["errors"] = [error]
        items.append(item)
    return envelope(phone_number_id, "", {"statuses": items})


def signed(body: dict[str, Any], app_secret: str) -> tuple[bytes, dict[str, str]]:
    """The raw bytes of a body and the headers WhatsApp would send with them."""
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    headers = {"Content-Type": "application/json", "X-Hub-Signature-256": sign(raw, app_secret)}
    return raw, headers
