"""The simulator: a WhatsApp-like page where a person chats as a citizen, over the real path.

The page never holds the app secret: `/simulator/send` and `/simulator/upload` build a
realistic webhook body, sign it here and POST it to `/webhook` over loopback HTTP, exactly as
Meta would. What the outbox sends reaches the fake Graph API, and the page polls it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Literal

import httpx
from fastapi import APIRouter, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, Response
from pydantic import BaseModel, Field

from whatsapp.channel import Channel
from whatsapp.fake_graph import FakeGraph, Sent
from whatsapp.templates import TemplateError, TemplateMessage
from whatsapp.webhook_bodies import message_body, signed

logger = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"


class SimulatedMessage(BaseModel):
    """What the page asks to send as the citizen."""

    citizen: str = Field(pattern=r"^[0-9]{6,15}$")
    name: str = Field(default="Citizen", max_length=60)
    phone_number_id: str
    type: Literal["text", "button_reply", "list_reply"] = "text"
    text: str = Field(default="", max_length=4096)
    reply_id: str | None = None
    reply_title: str | None = None
    context_id: str | None = None


def make_router(fake: FakeGraph) -> APIRouter:
    """The simulator's page and endpoints, bound to the fake Graph API."""
    router = APIRouter()

    @router.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "simulator.html")

    @router.get("/simulator/static/{name}", include_in_schema=False)
    async def static(name: str) -> FileResponse:
        path = (STATIC / name).resolve()
        if path.parent != STATIC or not path.is_file():
            raise HTTPException(404)
        return FileResponse(path)

    @router.get("/simulator/numbers")
    async def numbers(request: Request) -> list[dict[str, Any]]:
        channel: Channel = request.app.state.channel
        return [
            {
                "phone_number_id": number.phone_number_id,
                "department": number.department,
                "display_phone_number": number.display_phone_number or number.phone_number_id,
                "general": number.general,
                "name": request.app.state.department_names.get(number.department),
            }
            for number in channel.numbers.numbers
        ]

    @router.post("/simulator/send")
    async def send(message: SimulatedMessage, request: Request) -> dict[str, Any]:
        if message.type == "text":
            content: dict[str, Any] = {"type": "text", "text": {"body": message.text}}
        else:
            choice = {"id": message.reply_id or "", "title": message.reply_title or ""}
            content = {"type": "interactive",
                       "interactive": {"type": message.type, message.type: choice}}
        return await _deliver(request, message.citizen, message.name, message.phone_number_id,
                              content, message.context_id)

    @router.post("/simulator/upload")
    async def upload(
        request: Request,
        file: UploadFile,
        citizen: str = Form(pattern=r"^[0-9]{6,15}$"),
        name: str = Form("Citizen"),
        phone_number_id: str = Form(),
        caption: str = Form(""),
    ) -> dict[str, Any]:
        data = await file.read()
        mime = file.content_type or "application/octet-stream"
        filename = file.filename or "file"
        media_id = fake.store_media(data, mime, filename)
        kind = "image" if mime in ("image/jpeg", "image/png") else "document"
        if mime.startswith(("audio/", "video/")):
            kind = mime.split("/")[0]
        media: dict[str, Any] = {"id": media_id, "mime_type": mime,
                                 "sha256": fake.media[media_id].sha256}
        if kind == "document":
            media["filename"] = filename
        if caption and kind != "audio":
            media["caption"] = caption
        return await _deliver(request, citizen, name, phone_number_id,
                              {"type": kind, kind: media}, None)

    @router.get("/simulator/messages")
    async def messages(request: Request, citizen: str, after: int = 0) -> list[dict[str, Any]]:
        channel: Channel = request.app.state.channel
        items = fake.for_citizen(citizen, after)
        fake.mark_read(items, str(request.base_url))
        return [_view(item, channel) for item in items]

    @router.get("/simulator/media/{media_id}")
    async def media(media_id: str) -> Response:
        stored = fake.media.get(media_id)
        if stored is None:
            raise HTTPException(404)
        disposition = f'inline; filename="{_safe(stored.filename)}"'
        return Response(stored.data, media_type=stored.mime_type,
                        headers={"Content-Disposition": disposition})

    return router


async def _deliver(
    request: Request, citizen: str, name: str, phone_number_id: str,
    content: dict[str, Any], context_id: str | None,
) -> dict[str, Any]:
    """Sign a body for one simulated message and POST it to our own webhook."""
    channel: Channel = request.app.state.channel
    if not channel.numbers.knows(phone_number_id):
        raise HTTPException(400, "unknown number")
    number = next(n for n in channel.numbers.numbers if n.phone_number_id == phone_number_id)
    message_id, body = message_body(
        phone_number_id=phone_number_id,
        display_phone_number=number.display_phone_number or phone_number_id,
        citizen=citizen, name=name, content=content, context_id=context_id,
    )
    raw, headers = signed(body, channel.settings.secret("whatsapp_app_secret"))
    url = str(request.base_url).rstrip("/") + "/webhook"
    async with httpx.AsyncClient(timeout=10.0) as http:
        answer = await http.post(url, content=raw, headers=headers)
    return {"message_id": message_id, "status": answer.status_code}


def _view(item: Sent, channel: Channel) -> dict[str, Any]:
    """A sent message as the page renders it."""
    request = item.request
    kind = request.get("type")
    view: dict[str, Any] = {"seq": item.seq, "wamid": item.wamid, "type": kind,
                            "from": item.phone_number_id}
    if kind == "text":
        view["text"] = request["text"]["body"]
    elif kind == "interactive":
        view["interactive"] = request["interactive"]
    elif kind in ("image", "document"):
        media = request[kind]
        view |= {"media_url": f"/simulator/media/{media.get('id')}",
                 "caption": media.get("caption"), "filename": media.get("filename")}
    elif kind == "template":
        view["text"] = _template_text(request["template"], channel)
        header = [c for c in request["template"].get("components", [])
                  if c.get("type") == "header"]
        if header:
            parameter = header[0]["parameters"][0]
            media = parameter.get(parameter.get("type"), {})
            view |= {"media_url": f"/simulator/media/{media.get('id')}",
                     "filename": media.get("filename")}
    return view


def _template_text(template: dict[str, Any], channel: Channel) -> str:
    language = template.get("language", {}).get("code", "")
    values = [
        parameter.get("text", "")
        for component in template.get("components", [])
        if component.get("type") == "body"
        for parameter in component.get("parameters", [])
    ]
    try:
        spec = channel.templates.get(template.get("name", ""), language)
    except TemplateError:
        return f"[template {template.get('name')}] " + " · ".join(values)
    message = TemplateMessage(name=spec.name, language=language,
                              values=dict(zip(spec.parameters, values, strict=False)))
    return spec.render(message.values)


def _safe(filename: str) -> str:
    return "".join(ch for ch in filename if ch.isalnum() or ch in "._- ")[:100] or "file"

