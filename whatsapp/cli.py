"""Commands of the `nagrik` CLI that belong to whatsapp/: serve, bench, worker, failures."""

from __future__ import annotations

import asyncio
import sys
from typing import Any
from urllib.parse import urlparse

import typer

from tools.settings import Settings, get_settings

bench_app = typer.Typer(help="Measure the system under load.", no_args_is_help=True)
whatsapp_app = typer.Typer(help="Operate the WhatsApp channel.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add this package's commands to the `nagrik` CLI."""
    app.command("serve")(serve)
    from agent.cli import bench as bench_agent

    bench_app.command("agent")(bench_agent)
    app.add_typer(bench_app, name="bench")
    app.add_typer(whatsapp_app, name="whatsapp")


def _local_fake_on_port(settings: Settings, port: int) -> Settings:
    """Point the default fake Graph API at the port this server listens on."""
    from whatsapp.app import uses_fake_graph

    if not uses_fake_graph(settings):
        return settings
    url = urlparse(settings.whatsapp_api_url)
    api_url = url._replace(netloc=f"127.0.0.1:{port}").geturl()
    return settings.model_copy(update={"whatsapp_api_url": api_url})


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    echo: bool = typer.Option(False, help="Answer with an echo instead of the agent."),
    create_tables: bool = typer.Option(False, help="Create missing tables first."),
    fake_statuses: bool = typer.Option(
        True, help="The local fake posts sent/delivered/read webhooks back, as Meta does."
    ),
    simulator: bool = typer.Option(
        True, help="Mount the simulator and the fake Graph API here (when the API URL is the "
        "local fake); --no-simulator when the fake runs alone (`nagrik whatsapp fake-graph`).",
    ),
) -> None:
    """Run the WhatsApp channel (and, by default, the simulator at http://HOST:PORT/)."""
    import uvicorn

    from whatsapp.app import create_app
    from whatsapp.echo import echo_handler

    settings = get_settings()
    if simulator:
        settings = _local_fake_on_port(settings, port)
    app = create_app(
        settings,
        handler_factory=echo_handler if echo else None,
        create_tables=create_tables,
        fake_statuses=fake_statuses,
        simulator=None if simulator else False,
    )
    _short_gil_turns()
    typer.echo(f"Nagrik on http://{host}:{port}/  (webhook: /webhook)")
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


def _short_gil_turns() -> None:
    """Let threads take turns at the GIL every millisecond instead of every five.

    The event loop, the writer and the handler threads share one GIL. A thread that holds
    SQLite's write lock must get the GIL back quickly to commit: otherwise every other writer,
    in this process or another, waits the length of its turns (measured: ack p99 1041 ms with
    the default 5 ms, 108 ms with 1 ms, for a worker process at 80 messages a second).
    """
    sys.setswitchinterval(0.001)


@whatsapp_app.command("fake-graph")
def fake_graph(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8200, help="Port to listen on."),
    webhook_url: str = typer.Option(
        "http://127.0.0.1:8000/webhook", help="Where status webhooks are posted."
    ),
    statuses: bool = typer.Option(True, help="Post sent/delivered statuses, as Meta does."),
) -> None:
    """Run the fake Graph API alone, standing in for Meta in load tests.

    Point the server at it with NAGRIK_WHATSAPP_API_URL=http://HOST:PORT/fake-graph/v21.0
    and start the server with --no-simulator.
    """
    import uvicorn
    from fastapi import FastAPI

    from whatsapp.app import FAKE_PATH
    from whatsapp.fake_graph import FakeGraph

    settings = get_settings()
    fake = FakeGraph(
        settings.secret("whatsapp_access_token"),
        settings.secret("whatsapp_app_secret"),
        webhook_url=webhook_url,
        statuses=statuses,
    )
    root = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    root.mount(FAKE_PATH + "v21.0", fake.app)
    typer.echo(f"fake Graph API on http://{host}:{port}{FAKE_PATH}v21.0")
    uvicorn.run(root, host=host, port=port, log_level="warning", access_log=False)


@bench_app.command("webhook")
def bench_webhook(
    url: str = typer.Option("http://127.0.0.1:8000", help="The running server."),
    citizens: int = typer.Option(50, min=1, help="How many citizens write."),
    rate: float = typer.Option(80.0, min=0.1, help="Messages per second."),
    seconds: float = typer.Option(30.0, min=1, help="How long to send."),
    number: str | None = typer.Option(None, help="phone_number_id written to; default general."),
    api_url: str | None = typer.Option(
        None, help="The fake Graph API that receives replies; default the one inside the server."
    ),
) -> None:
    """Send signed webhook bodies at a steady rate and print latency figures."""
    from whatsapp.bench import report, run_bench_with

    settings = get_settings()
    if api_url is None:
        api_url = urlparse(url)._replace(path=urlparse(settings.whatsapp_api_url).path).geturl()
    result = run_bench_with(settings, url=url, api_url=api_url, citizens=citizens, rate=rate,
                            seconds=seconds, phone_number_id=number)
    for line in report(result):
        typer.echo(line)


@bench_app.command("stack")
def bench_stack(
    rate: float = typer.Option(80.0, min=0.1, help="Messages per second."),
    seconds: float = typer.Option(20.0, min=1, help="How long to send."),
    citizens: int = typer.Option(50, min=1, help="How many citizens write."),
    warmup: float = typer.Option(5.0, min=0, help="Seconds of traffic before measuring."),
    echo: bool = typer.Option(False, help="An echo worker instead of the agent."),
    keep: str | None = typer.Option(None, help="Keep data and logs in this folder."),
    nice: int = typer.Option(5, min=0, max=19, help="CPU priority given up by worker and sender."),
    workers: int = typer.Option(1, min=1, help="Worker processes sharing the inbox."),
) -> None:
    """Start server, worker, sender and a fake Graph API as processes; measure under load."""
    from pathlib import Path

    from whatsapp.bench_stack import report_stack, run_stack

    result = run_stack(
        get_settings(), rate=rate, seconds=seconds, citizens=citizens, echo=echo,
        warmup_seconds=warmup, keep_dir=Path(keep) if keep else None, background_nice=nice,
        workers=workers,
    )
    for line in report_stack(result):
        typer.echo(line)


@whatsapp_app.command("worker")
def worker(
    echo: bool = typer.Option(False, help="Answer with an echo instead of the agent."),
    poll: float = typer.Option(0.1, help="Seconds between looks at the inbox."),
    sender: bool = typer.Option(
        True, help="Send the outbox from here too; --no-sender when `whatsapp sender` runs."
    ),
    name: str | None = typer.Option(
        None, help="A name unique among the workers, kept across restarts (e.g. worker-1): "
        "restarted, the worker takes its citizens back at once instead of after their leases run "
        "out.",
    ),
) -> None:
    """Run the inbox worker (and outbox sender) alone, with NAGRIK_WHATSAPP_INLINE_WORKER=false."""
    from whatsapp.app import create_app
    from whatsapp.echo import echo_handler

    app = create_app(
        get_settings(), inline_worker=True, sender=sender, simulator=False, poll_seconds=poll,
        handler_factory=echo_handler if echo else None, worker_name=name,
    )
    _run_background(app)


@whatsapp_app.command("sender")
def sender(
    poll: float = typer.Option(0.05, help="Seconds between looks at the outbox."),
) -> None:
    """Run the outbox sender alone, beside `whatsapp worker --no-sender`."""
    from whatsapp.app import create_app

    app = create_app(get_settings(), inline_worker=False, sender=True, simulator=False,
                     poll_seconds=poll)
    _run_background(app)


def _run_background(app: Any) -> None:
    """Run an app's startup and background tasks, without serving HTTP, until interrupted."""
    _short_gil_turns()

    async def run() -> None:
        async with app.router.lifespan_context(app):
            await asyncio.Event().wait()

    asyncio.run(run())


@whatsapp_app.command("failures")
def failures(limit: int = typer.Option(20, help="How many to show.")) -> None:
    """List recent failed sends with Meta's error code."""
    from rich.console import Console
    from rich.table import Table
    from sqlmodel import Session

    from tools.db.engine import make_engine
    from whatsapp.inbox import citizen_ref
    from whatsapp.outbox import failed_messages

    engine = make_engine(get_settings().resolved_database_url)
    table = Table("id", "key", "citizen", "department", "code", "error", "at")
    with Session(engine) as session:
        for row in failed_messages(session, limit):
            table.add_row(
                str(row.id), row.key, citizen_ref(row.citizen_key), row.department or "",
                str(row.error_code or ""), row.error_title or "", str(row.status_at or ""),
            )
    Console().print(table)
