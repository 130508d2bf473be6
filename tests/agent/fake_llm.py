"""A local server speaking the OpenAI chat-completions protocol, replaying scripted turns."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse


@dataclass
class Scripted:
    """One answer: text, tool calls, an HTTP error status, or a delay before answering."""

    content: str | None = None
    tool_calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    status: int = 200
    delay: float = 0.0


def say(text: str) -> Scripted:
    return Scripted(content=text)


def call(name: str, **arguments: Any) -> Scripted:
    return Scripted(tool_calls=[(name, arguments)])


class FakeLLM:
    def __init__(self, script: list[Scripted]) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        self.app = FastAPI()
        self.app.post("/v1/chat/completions")(self._complete)

    async def _complete(self, request: Request) -> JSONResponse:
        body = await request.json()
        self.requests.append(body)
        if not self.script:
            return JSONResponse({"error": {"message": "script exhausted"}}, status_code=500)
        step = self.script.pop(0)
        if step.delay:
            time.sleep(step.delay)
        if step.status != 200:
            return JSONResponse({"error": {"message": "scripted failure"}},
                                status_code=step.status)
        message: dict[str, Any] = {"role": "assistant", "content": step.content}
        if step.tool_calls:
            message["tool_calls"] = [
                {"id": f"call_{len(self.requests)}_{i}", "type": "function",
                 "function": {"name": name, "arguments": json.dumps(args)}}
                for i, (name, args) in enumerate(step.tool_calls)
            ]
        return JSONResponse({
            "id": f"chatcmpl-{len(self.requests)}",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model", "scripted"),
            "choices": [{"index": 0, "message": message,
                         "finish_reason": "tool_calls" if step.tool_calls else "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        })
