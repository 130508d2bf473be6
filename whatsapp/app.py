"""The ASGI app of the WhatsApp channel: `whatsapp.app:app`, or `create_app(...)` to configure.

At startup it opens the database, loads department numbers and templates, builds the
conversation handler (the agent, unless another is injected), and starts the inbox worker and
the outbox sender in this process. When the Cloud API URL points at the local fake (the
default), the fake Graph API and the simulator page are mounted too.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from urllib.parse import urlparse

import httpx
from fastapi import FastAPI
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from agent.messages import ConversationHandler, Incoming
from knowledge.base import KnowledgeBase
from knowledge.editor_web import create_editor_router
from tools.catalog import CatalogError, load_catalog
from tools.clock import Clock, SystemClock
from tools.db.engine import make_engine
from tools.documents.vault import Vault
from tools.notifications import ConversationEvent
from tools.settings import Settings, get_settings
from whatsapp import store_models  # noqa: F401  (registers the channel's tables)
from whatsapp.channel import Channel
from whatsapp.client import CloudClient
from whatsapp.departments import load_numbers
from whatsapp.event_delivery import InboxEvents
from whatsapp.fake_graph import FakeGraph
from whatsapp.media import MediaSink
from whatsapp.officer_web import create_officer_router
from whatsapp.payments_web import create_payments_router
from whatsapp.sender import OutboxSender
from whatsapp.simulator import make_router
from whatsapp.templates import load_templates
from whatsapp.verify_web import create_verify_router
from whatsapp.webhook import router as webhook_router
from whatsapp.worker import InboxWorker
from whatsapp.writer import Writer

logger = logging.getLogger(__name__)

HandlerFactory = Callable[[Settings], ConversationHandler]
FAKE_PATH = "/fake-graph/"


def default_handler(settings: Settings) -> ConversationHandler:
    """The agent, built by `agent.runtime.create_handler`."""
    try:
        from agent.runtime import create_handler  # imported late: the agent is heavy to load
    except ImportError as error:
        raise RuntimeError(
            "agent.runtime.create_handler is missing: the agent is not installed yet; "
            "pass handler_factory to create_app, or run `nagrik serve --echo`"
        ) from error
    return create_handler(settings)


def uses_fake_graph(settings: Settings) -> bool:
    """Whether the Cloud API URL points at the local fake on this machine."""
    url = urlparse(settings.whatsapp_api_url)
    local = url.hostname in ("127.0.0.1", "localhost", "::1")
    return local and url.path.startswith(FAKE_PATH)


def create_app(
    settings: Settings | None = None,
    *,
    handler_factory: HandlerFactory | None = None,
    media_sink: MediaSink | None = None,
    engine: Engine | None = None,
    clock: Clock | None = None,
    simulator: bool | None = None,
    inline_worker: bool | None = None,
    sender: bool | None = None,
    create_tables: bool = False,
    transport: httpx.AsyncBaseTransport | None = None,
    fake_statuses: bool = True,
    poll_seconds: float = 2.0,
    worker_name: str | None = None,
) -> FastAPI:
    """Build the channel's app.

    Args:
        settings: the settings; default `get_settings()`.
        handler_factory: builds the conversation handler at startup; default the agent.
        media_sink: stores inbound files; default document storage (`tools.documents`).
        engine: the database engine; default one for `settings.resolved_database_url`.
        clock: the clock; default the system clock.
        simulator: mount the fake Graph API and the simulator; default when the API URL is
            the local fake.
        inline_worker: run the inbox worker here; default `settings.whatsapp_inline_worker`.
        sender: run the outbox sender here; default with the worker. Without a worker in the
            same process it looks for new rows every `poll_seconds`.
        create_tables: create missing tables at startup (tests, benchmarks); migrations
            create them otherwise.
        transport: an httpx transport for the Cloud API client (tests).
        fake_statuses: whether the fake Graph API posts status webhooks back, as Meta does.
        poll_seconds: how often the worker looks for messages stored by another process.
        worker_name: the worker's name in citizens' leases; default unique per process.
    """
    settings = settings or get_settings()
    clock = clock or SystemClock()
    factory = handler_factory or default_handler
    with_simulator = uses_fake_graph(settings) if simulator is None else simulator
    inline = settings.whatsapp_inline_worker if inline_worker is None else inline_worker
    roles = _Roles(worker=inline, sender=inline if sender is None else sender)
    fake = (
        FakeGraph(
            settings.secret("whatsapp_access_token"),
            settings.secret("whatsapp_app_secret"),
            statuses=fake_statuses,
        )
        if with_simulator
        else None
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        channel = await _start(app, settings, factory, media_sink, engine, clock, roles,
                               create_tables, transport, poll_seconds, worker_name)
        try:
            yield
        finally:
            await _stop(channel)
            if fake is not None:
                await fake.aclose()

    app = FastAPI(title="Nagrik WhatsApp channel", lifespan=lifespan, docs_url=None,
                  redoc_url=None, openapi_url=None)
    app.include_router(webhook_router)
    app.state.fake_graph = fake
    app.state.department_names = _department_names(settings)
    if fake is not None:
        app.mount(urlparse(settings.whatsapp_api_url).path.rstrip("/"), fake.app)
        app.include_router(make_router(fake))
        # The fake lives in this process: reach it, and let it reach the webhook, in memory.
        # The client, the webhook and the fake run their own code; only the socket is skipped.
        fake.transport = httpx.ASGITransport(app=app)
        transport = transport or fake.transport
    _mount_editor(app, settings)
    # Payments (sandbox page, gateway webhooks), the officer API and document verification.
    app.include_router(create_payments_router(settings, engine=engine, clock=clock))
    app.include_router(create_officer_router(settings, engine=engine, clock=clock))
    app.include_router(create_verify_router(settings, engine=engine))
    return app


async def _start(
    app: FastAPI,
    settings: Settings,
    factory: HandlerFactory,
    media_sink: MediaSink | None,
    engine: Engine | None,
    clock: Clock,
    roles: _Roles,
    create_tables: bool,
    transport: httpx.AsyncBaseTransport | None,
    poll_seconds: float,
    worker_name: str | None,
) -> Channel:
    engine = engine or make_engine(settings.resolved_database_url)
    if create_tables:
        await asyncio.to_thread(SQLModel.metadata.create_all, engine)
    client = CloudClient(
        settings.whatsapp_api_url,
        settings.secret("whatsapp_access_token"),
        transport=transport,
        rate_per_second=settings.whatsapp_send_rate,
    )
    channel = Channel(
        settings=settings, engine=engine, clock=clock, numbers=load_numbers(settings),
        templates=load_templates(settings.whatsapp_templates_file), client=client,
        writer=Writer(engine),
    )
    app.state.channel = channel
    # Payments, officers' decisions and documents read in the background reach the citizen
    # through the inbox, in order with their messages; a worker here is woken at once.
    app.state.event_notifier = InboxEvents(engine=engine, clock=clock, wake=_waker(channel))
    if roles.sender:
        # Alone, the sender learns of new rows only by looking; beside the worker it is woken.
        channel.sender = OutboxSender(
            writer=channel.writer, client=client, templates=channel.templates, clock=clock,
            poll_interval=1.0 if roles.worker else poll_seconds,
        )
    if not roles.worker:
        if channel.sender is not None:
            await channel.sender.start()
            logger.info("outbox sender started without worker")
        else:
            logger.info("channel started without worker: run `nagrik whatsapp worker` beside it")
        return channel

    handler = await asyncio.to_thread(factory, settings)
    _read_documents(handler, settings, app.state.event_notifier)
    if media_sink is None:
        from whatsapp.document_sink import documents_sink

        media_sink = await asyncio.to_thread(documents_sink, settings, engine, clock)
    channel.worker = InboxWorker(
        engine=engine, writer=channel.writer, handler=handler, numbers=channel.numbers,
        clock=clock, client=client, templates=channel.templates,
        media_sink=media_sink, max_media_bytes=settings.whatsapp_max_media_bytes,
        concurrency=settings.resolved_worker_concurrency,
        on_replies=channel.sender.wake if channel.sender is not None else lambda: None,
        poll_interval=poll_seconds, name=worker_name,
    )
    if channel.sender is not None:
        await channel.sender.start()
    await channel.worker.start()
    logger.info("channel started: %d numbers, worker in process", len(channel.numbers.numbers))
    return channel


async def _stop(channel: Channel) -> None:
    if channel.worker is not None:
        await channel.worker.stop()
    if channel.sender is not None:
        await channel.sender.stop()
    await channel.client.aclose()
    channel.writer.close()


def _waker(channel: Channel) -> Callable[[list[str]], None]:
    """Tell this process's worker, if any, about citizens with news (from any thread)."""
    loop = asyncio.get_running_loop()

    def wake(citizen_keys: list[str]) -> None:
        if channel.worker is not None:
            loop.call_soon_threadsafe(channel.worker.notify, citizen_keys)

    return wake


@dataclass(frozen=True)
class _Roles:
    """Which background parts run in this process."""

    worker: bool
    sender: bool


def _department_names(settings: Settings) -> dict[str, str]:
    try:
        catalog = load_catalog(settings.catalog_dir)
    except CatalogError:
        return {}
    return {key: department.name.en for key, department in catalog.departments.items()}


def _mount_editor(app: FastAPI, settings: Settings) -> None:
    """Mount the knowledge editor's pages under `/editor`."""
    app.include_router(
        create_editor_router(settings, lambda: KnowledgeBase.open(settings))
    )


def _read_documents(
    handler: ConversationHandler, settings: Settings, notifier: InboxEvents
) -> None:
    """Let the agent read attached documents in the background and report what it read."""
    from agent.document_reader import DocumentReader  # with the agent: heavy to import

    if not hasattr(handler, "document_reader") or not hasattr(handler, "tools"):
        return  # a stand-in handler (the echo bot, a test's script)

    def deliver(event: Incoming) -> None:
        notifier(
            ConversationEvent(
                message_id=event.message_id,
                citizen_wa_id=event.citizen_id,
                department=event.department,
                event=event.event or "document_read",
                data=event.event_data,
            )
        )

    handler.document_reader = DocumentReader(
        handler.tools,
        Vault.from_settings(settings),
        deliver=deliver,
        workers=settings.document_ocr_workers,
    )


app = create_app()
