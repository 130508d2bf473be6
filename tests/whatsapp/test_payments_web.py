"""End to end through the webhook: apply, upload, pay in the sandbox, receipt, approval."""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pypdfium2
import pytest
from PIL import Image
from sqlmodel import Session, SQLModel, select

from agent.policies.offline import OfflinePolicy
from agent.runtime import Agent
from tests.tools.factories import citizen, property_row
from tests.whatsapp.conftest import GENERAL, Live, Server, free_port, make_settings
from tools.catalog import load_catalog
from tools.clock import INDIA, FixedClock
from tools.db.engine import make_engine
from tools.db.metadata import import_all_models
from tools.db.models import Application, Citizen, Document, Payment, Receipt
from tools.payments.sandbox import SandboxGateway
from tools.payments.sandbox_callback import WEBHOOK_PATH, sandbox_event
from tools.toolkit.build import TARIFF_FILE_NAME, build_gateway
from tools.toolkit.runtime import ToolRuntime
from whatsapp.app import create_app
from whatsapp.media import MediaFile
from whatsapp.webhook_bodies import message_body

CITIZEN = "919810000077"


def pdf_text(path: str) -> str:
    document = pypdfium2.PdfDocument(path)
    try:
        return document[0].get_textpage().get_text_range()
    finally:
        document.close()


def png(colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class World:
    live: Live
    runtime: ToolRuntime

    def say(self, text: str) -> None:
        self.live.say(CITIZEN, text)
        self.live.wait_for(self.live.settled)

    def upload(self, colour: str) -> None:
        fake = self.live.app.state.fake_graph
        media_id = fake.store_media(png(colour), "image/png", "slip.png")
        media = {"id": media_id, "mime_type": "image/png", "sha256": fake.media[media_id].sha256}
        _, body = message_body(phone_number_id=GENERAL, display_phone_number="+91",
                               citizen=CITIZEN, name="Ravi Kumar",
                               content={"type": "image", "image": media})
        assert self.live.post(body).status_code == 200
        self.live.wait_for(self.live.settled)

    def sent(self) -> list[dict[str, Any]]:
        return [item.request for item in self.live.sent_to(CITIZEN)]

    def documents_sent(self) -> list[str]:
        return [r["document"].get("filename", "") for r in self.sent() if r["type"] == "document"]

    def officer(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        token = self.live.settings.secret("officer_token")
        return httpx.request(method, f"{self.live.url}/officer{path}", timeout=30,
                             headers={"Authorization": f"Bearer {token}"}, **kwargs)


def plain_sink(engine):
    """Stores each upload as a Document row (document storage has its own tests)."""

    def sink(*, citizen_key: str, media: MediaFile, source_message_id: str) -> int:
        with Session(engine) as session:
            citizen = session.exec(select(Citizen).where(Citizen.wa_id == citizen_key)).one()
            row = Document(citizen_id=citizen.id, source_message_id=source_message_id,
                           sha256=hashlib.sha256(media.data).hexdigest(),
                           mime_type=media.mime_type or "image/png", size_bytes=len(media.data),
                           key_id="k1", storage_path="unused", created_at=datetime.now(INDIA))
            session.add(row)
            session.commit()
            assert row.id is not None
            return row.id

    return sink


@pytest.fixture
def world(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[World]:
    at = getattr(request, "param", datetime(2026, 11, 25, 10, 0))
    port = free_port()
    settings = make_settings(tmp_path, port, public_base_url=f"http://127.0.0.1:{port}")
    import_all_models()
    engine = make_engine(settings.resolved_database_url)
    SQLModel.metadata.create_all(engine)
    clock = FixedClock(at.replace(tzinfo=INDIA))
    runtime = ToolRuntime(engine=engine, clock=clock, catalog=load_catalog(settings.catalog_dir),
                          settings=settings, gateway=build_gateway(settings),
                          tariff_path=settings.catalog_dir / TARIFF_FILE_NAME)
    agent = Agent(tools=runtime, knowledge=None, policy=OfflinePolicy(),
                  checkpoint_location=":memory:", max_steps=8)
    app = create_app(settings, handler_factory=lambda _: agent, engine=engine, clock=clock,
                     media_sink=plain_sink(engine))
    with Server(app, port):
        live = Live(f"http://127.0.0.1:{port}", settings, engine, app, agent)
        yield World(live, runtime)
    engine.dispose()


def apply_for_a_birth_certificate(world: World) -> str:
    for text in ("mujhe birth certificate chahiye", "Aarav", "ladka", "20/10/2026", "hospital",
                 "lok nayak hospital delhi gate", "Ravi Kumar", "sunita devi", "pita", "2"):
        world.say(text)
    world.upload("white")
    world.upload("grey")
    world.say("haan")
    with Session(world.live.engine) as session:
        application = session.exec(select(Application)).one()
        payment = session.exec(select(Payment)).one()
    assert payment.amount_paise == 1000  # ₹5 late fee + ₹5 for the second copy
    assert any(r["type"] == "image" for r in world.sent())  # the UPI QR code
    return application.number


def pay_on_the_sandbox_page(world: World, success: bool = True) -> Payment:
    with Session(world.live.engine) as session:
        payment = session.exec(select(Payment).where(Payment.status == "pending")).one()
    page = httpx.get(payment.pay_url, timeout=10)
    assert page.status_code == 200 and "WhatsApp Pay" in page.text and "₹10.00" in page.text
    done = httpx.post(payment.pay_url, data={"action": "pay" if success else "fail",
                                             "mode": "whatsapp_pay"}, timeout=30)
    assert done.status_code == 200
    world.live.wait_for(world.live.settled)
    return payment


def test_apply_pay_receipt_approve_certificate(world: World) -> None:
    number = apply_for_a_birth_certificate(world)

    # A failed attempt first: the citizen hears so, with a Pay again button.
    pay_on_the_sandbox_page(world, success=False)
    failed = world.sent()[-1]
    assert failed["type"] == "interactive" and "dobara payment na karein" in json.dumps(
        failed, ensure_ascii=False).lower()
    world.say("pay")
    world.say("haan")
    payment = pay_on_the_sandbox_page(world)

    # The receipt arrives as a PDF, and the application is submitted.
    documents = world.live.wait_for(world.documents_sent)
    with Session(world.live.engine) as session:
        receipt = session.exec(select(Receipt)).one()
        application = session.exec(select(Application)).one()
        captured = session.get(Payment, receipt.payment_id)
    assert documents == [f"{receipt.number}.pdf"]
    assert captured.id == payment.id and captured.mode == "whatsapp_pay"
    assert application.status == "submitted"
    assert Path(receipt.pdf_path).exists()

    # The receipt's QR link verifies; a changed number does not.
    link = re.search(r"http://\S+/verify/\S+", pdf_text(receipt.pdf_path)).group(0)
    genuine = httpx.get(link)
    assert genuine.status_code == 200 and "Genuine" in genuine.text
    forged = link.replace(receipt.number, receipt.number[:-1] + "9")
    assert httpx.get(forged).status_code == 404

    # The officer approves over the API; the certificate arrives on WhatsApp.
    assert world.officer("GET", "/applications").json()[0]["number"] == number
    approved = world.officer("POST", f"/applications/{number}/approve", json={"officer": "asha"})
    assert approved.status_code == 200, approved.text
    certificate = approved.json()["certificate_number"]
    world.live.wait_for(lambda: len(world.documents_sent()) == 2)
    assert world.documents_sent()[-1] == f"{certificate}.pdf"
    assert "approve ho gaya" in json.dumps(world.sent()[-2], ensure_ascii=False)


def test_replayed_and_tampered_sandbox_events(world: World) -> None:
    apply_for_a_birth_certificate(world)
    pay_on_the_sandbox_page(world)
    world.live.wait_for(world.documents_sent)
    sent_before = len(world.sent())

    with Session(world.live.engine) as session:
        payment = session.exec(select(Payment)).one()
    gateway = world.runtime.gateway
    assert isinstance(gateway, SandboxGateway)
    order = gateway.order(payment.gateway_order_id or "")
    secret = world.live.settings.secret("sandbox_webhook_secret")
    raw, headers = sandbox_event(order, secret, 1_800_000_000)  # same event id, later time
    url = world.live.url + WEBHOOK_PATH
    replay = httpx.post(url, content=raw, headers=headers)
    assert replay.status_code == 200 and replay.json()["outcome"] == "duplicate"

    tampered = raw.replace(b'"amount":1000', b'"amount":100')
    assert tampered != raw
    assert httpx.post(url, content=tampered, headers=headers).status_code == 403
    unsigned = {k: v for k, v in headers.items() if k != "X-Sandbox-Signature"}
    assert httpx.post(url, content=raw, headers=unsigned).status_code == 401

    world.live.wait_for(world.live.settled)
    assert len(world.sent()) == sent_before
    with Session(world.live.engine) as session:
        assert len(session.exec(select(Receipt)).all()) == 1


@pytest.mark.parametrize(
    ("world", "amount_paise"),
    [(datetime(2026, 6, 15, 11), 432000), (datetime(2026, 7, 1, 11), 480000)],
    indirect=["world"],
)
def test_property_tax_rebate_by_30_june_through_the_chat(world: World, amount_paise: int) -> None:
    owner = citizen(world.live.engine, CITIZEN, display_name="Ravi Kumar")
    property_row(world.live.engine, owner)
    world.say("property tax bharna hai")
    world.say("DL0123456789AB1")
    world.say("haan")
    with Session(world.live.engine) as session:
        payment = session.exec(select(Payment)).one()
    assert payment.amount_paise == amount_paise
    assert bool(payment.lines[0]["rebate_paise"]) is (amount_paise == 432000)
    httpx.post(payment.pay_url, data={"action": "pay", "mode": "upi"}, timeout=30)
    world.live.wait_for(world.documents_sent)
    with Session(world.live.engine) as session:
        receipt = session.exec(select(Receipt)).one()
    assert world.documents_sent() == [f"{receipt.number}.pdf"]
    text = pdf_text(receipt.pdf_path)
    assert "DL0123456789AB1" in text and ("rebate" in text) is (amount_paise == 432000)
