"""Fixtures of the channel's tests: settings on tmp files, a live server on a free port."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, select

from tests.whatsapp.scripted import ScriptedHandler
from tools.db.engine import make_engine
from tools.settings import Settings
from whatsapp import store_models  # noqa: F401
from whatsapp.app import create_app
from whatsapp.store_models import InboxMessage, InboxState, OutboxMessage
from whatsapp.webhook_bodies import message_body, signed

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "whatsapp"
TRANSPORT = "100000000000003"
GENERAL = "100000000000004"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_settings(tmp_path: Path, port: int = 9, **overrides: Any) -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'nagrik.db'}",
        whatsapp_api_url=f"http://127.0.0.1:{port}/fake-graph/v21.0",
        **overrides,
    )


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'unit.db'}")
    SQLModel.metadata.create_all(engine)
    return engine


@dataclass
class Live:
    """A running app: its URL, settings, engine, handler and fake Graph API."""

    url: str
    settings: Settings
    engine: Engine
    app: FastAPI
    handler: Any

    @property
    def secret(self) -> str:
        return self.settings.secret("whatsapp_app_secret")

    def post_raw(self, raw: bytes, headers: dict[str, str]) -> httpx.Response:
        return httpx.post(self.url + "/webhook", content=raw, headers=headers, timeout=10)

    def post(self, body: dict[str, Any]) -> httpx.Response:
        raw, headers = signed(body, self.secret)
        return self.post_raw(raw, headers)

    def say(self, citizen: str, text: str, number: str = GENERAL, **kwargs: Any) -> str:
        message_id, body = message_body(
            phone_number_id=number, display_phone_number="+91", citizen=citizen,
            name="Asha", content={"type": "text", "text": {"body": text}}, **kwargs,
        )
        assert self.post(body).status_code == 200
        return message_id

    def sent_to(self, citizen: str) -> list[Any]:
        return self.app.state.fake_graph.for_citizen(citizen)

    def wait_for(self, check: Callable[[], Any], timeout: float = 10.0) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = check()
            if result:
                return result
            time.sleep(0.02)
        raise AssertionError("timed out waiting")

    def inbox(self) -> list[InboxMessage]:
        with Session(self.engine) as session:
            return list(session.exec(select(InboxMessage)).all())

    def outbox(self) -> list[OutboxMessage]:
        with Session(self.engine) as session:
            return list(session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all())

    def settled(self) -> bool:
        pending = [r for r in self.inbox() if r.state == InboxState.PENDING]
        unsent = [r for r in self.outbox() if r.state in ("queued", "sending")]
        return not pending and not unsent


class Server:
    """uvicorn in a thread."""

    def __init__(self, app: FastAPI, port: int) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@contextmanager
def running(tmp_path: Path, handler: Any) -> Iterator[Live]:
    """The app with this handler, served on a free port with its fake Graph API."""
    port = free_port()
    settings = make_settings(tmp_path, port)
    engine = make_engine(settings.resolved_database_url)
    SQLModel.metadata.create_all(engine)
    app = create_app(settings, handler_factory=lambda _: handler, engine=engine)
    with Server(app, port):
        yield Live(f"http://127.0.0.1:{port}", settings, engine, app, handler)
    engine.dispose()


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    with running(tmp_path, ScriptedHandler(tmp_path)) as app:
        yield app


def load_fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / name).read_text())


def all_fixture_bodies() -> list[tuple[str, dict[str, Any]]]:
    bodies = []
    for path in sorted(FIXTURES.glob("*.json")):
        if path.name == "signature_vector.json":
            continue
        for case, body in json.loads(path.read_text()).items():
            bodies.append((f"{path.stem}/{case}", body))
    return bodies


def run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)
