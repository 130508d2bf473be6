"""A small driver for conversations with the agent in tests."""

from __future__ import annotations

import itertools
from pathlib import Path

from agent.messages import Incoming
from agent.policies.base import Policy
from agent.policies.offline import OfflinePolicy
from agent.runtime import Agent
from agent.turns import TurnResult
from tests.tools.factories import document, make_runtime


class Chat:
    def __init__(self, tmp_path: Path, *, wa_id: str = "919810000001", name: str = "Ravi Kumar",
                 policy: Policy | None = None, checkpoints: str = ":memory:", runtime=None,
                 knowledge=None, max_steps: int = 8) -> None:
        self.runtime = runtime or make_runtime(tmp_path)
        self.agent = Agent(tools=self.runtime, knowledge=knowledge,
                           policy=policy or OfflinePolicy(), checkpoint_location=checkpoints,
                           max_steps=max_steps)
        self.wa_id, self.name = wa_id, name
        self._ids = itertools.count(1)
        self.last: TurnResult | None = None

    def _send(self, **fields) -> TurnResult:
        incoming = Incoming(message_id=f"{self.wa_id}-{next(self._ids)}", citizen_id=self.wa_id,
                            citizen_name=self.name, **fields)
        self.last = self.agent.handle_turn(incoming)
        return self.last

    def say(self, text: str) -> TurnResult:
        return self._send(text=text)

    def tap(self, choice_id: str, title: str = "") -> TurnResult:
        return self._send(kind="choice", choice_id=choice_id, choice_title=title)

    def upload(self, content: bytes = b"photo") -> TurnResult:
        doc = document(self.runtime.engine, self.runtime.ensure_citizen(self.wa_id), content)
        return self._send(kind="document", document_id=doc)

    def event(self, event: str, **data) -> TurnResult:
        return self._send(kind="event", event=event, event_data=data)

    @property
    def text(self) -> str:
        assert self.last is not None
        parts = []
        for reply in self.last.replies:
            parts.append(getattr(reply, "body", "") or getattr(reply, "caption", "") or "")
        return "\n".join(parts)

    @property
    def tools(self) -> list[str]:
        assert self.last is not None
        return [call.name for call in self.last.tool_calls]

    @property
    def choices(self) -> list[str]:
        assert self.last is not None
        found = []
        for reply in self.last.replies:
            for button in getattr(reply, "buttons", []):
                found.append(button.id)
            for section in getattr(reply, "sections", []):
                found += [row.id for row in section.rows]
        return found
