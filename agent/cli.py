"""`nagrik chat`: talk to the bot in a terminal, as a citizen, with either policy."""

from __future__ import annotations

import itertools
import logging
import mimetypes
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlmodel import Session

from agent.messages import (
    ButtonsReply,
    DocumentReply,
    ImageReply,
    Incoming,
    IncomingKind,
    ListReply,
    Reply,
    TextReply,
)
from agent.runtime import create_agent, open_knowledge
from tools.documents.intake import DocumentRejected
from tools.documents.service import intake_limits, receive_document
from tools.documents.vault import Vault
from tools.settings import Policy, get_settings

console = Console()
HELP = "Type a message; a number picks a choice; /doc PATH sends a file; /quit ends."


def register(app: typer.Typer) -> None:
    """Add `nagrik chat` to the CLI."""
    app.command("chat")(chat)


def chat(
    wa_id: Annotated[str, typer.Option("--as", help="The citizen's WhatsApp id.")] = (
        "919810000001"
    ),
    name: Annotated[str, typer.Option(help="The citizen's profile name.")] = "Ravi Kumar",
    department: Annotated[
        str | None, typer.Option(help="Department number written to: mcd, revenue, transport.")
    ] = None,
    policy: Annotated[Policy, typer.Option(help="offline or llm.")] = Policy.OFFLINE,
) -> None:
    """Chat with the bot in the terminal; buttons and lists show as numbered choices."""
    # The conversation is the output here: the operator's INFO log would drown it.
    logging.getLogger().setLevel(logging.WARNING)
    settings = get_settings()
    agent = create_agent(settings, knowledge=open_knowledge(settings), policy=policy.value)
    ids = itertools.count(1)
    choices: list[tuple[str, str]] = []
    console.print(f"[dim]{HELP}[/dim]")

    while True:
        try:
            line = console.input("[bold green]you>[/bold green] ")
        except (EOFError, KeyboardInterrupt):
            break
        if line.strip() == "/quit":
            break
        message_id = f"cli-{wa_id}-{next(ids)}"
        incoming = _incoming(line, message_id, wa_id, name, department, choices, agent)
        if incoming is None:
            continue
        result = agent.handle_turn(incoming)
        choices = []
        for reply in result.replies:
            choices += _show(reply)
        tools = ", ".join(call.name for call in result.tool_calls) or "none"
        console.print(f"[dim]tools: {tools} · language: {result.language}[/dim]")


def _incoming(
    line: str,
    message_id: str,
    wa_id: str,
    name: str,
    department: str | None,
    choices: list[tuple[str, str]],
    agent: object,
) -> Incoming | None:
    base = {"message_id": message_id, "citizen_id": wa_id, "citizen_name": name,
            "department": department}
    stripped = line.strip()
    if stripped.isdigit() and 1 <= int(stripped) <= len(choices):
        choice_id, title = choices[int(stripped) - 1]
        return Incoming(**base, kind=IncomingKind.CHOICE, choice_id=choice_id, choice_title=title)
    if stripped.startswith("/doc "):
        return _document(Path(stripped[5:].strip()).expanduser(), base, agent)
    return Incoming(**base, text=line)


def _document(path: Path, base: dict[str, str | None], agent: object) -> Incoming | None:
    if not path.is_file():
        console.print(f"[red]no such file: {path}[/red]")
        return None
    settings = get_settings()
    tools = agent.tools  # type: ignore[attr-defined]
    citizen_id = tools.ensure_citizen(str(base["citizen_id"]))
    with Session(tools.engine) as session:
        try:
            document = receive_document(
                session,
                Vault.from_settings(settings),
                citizen_id=citizen_id,
                data=path.read_bytes(),
                declared_mime=mimetypes.guess_type(path.name)[0],
                filename=path.name,
                source_message_id=str(base["message_id"]),
                clock=tools.clock,
                limits=intake_limits(settings),
            )
            session.commit()
        except DocumentRejected as rejected:
            return Incoming(**base, kind=IncomingKind.UNSUPPORTED,
                            rejection=str(rejected.code))
        return Incoming(**base, kind=IncomingKind.DOCUMENT,
                        document_id=document.id)


def _show(reply: Reply) -> list[tuple[str, str]]:
    """Print a reply; return the choices it offers, numbered as printed."""
    if isinstance(reply, TextReply):
        console.print(f"[bold cyan]bot>[/bold cyan] {reply.body}")
        return []
    if isinstance(reply, ButtonsReply):
        console.print(f"[bold cyan]bot>[/bold cyan] {reply.body}")
        offered = [(b.id, b.title) for b in reply.buttons]
    elif isinstance(reply, ListReply):
        console.print(f"[bold cyan]bot>[/bold cyan] {reply.body}")
        offered = [(row.id, row.title) for s in reply.sections for row in s.rows]
    elif isinstance(reply, DocumentReply | ImageReply):
        label = reply.caption or getattr(reply, "filename", "")
        console.print(f"[bold cyan]bot>[/bold cyan] [file] {label}: {reply.path}")
        return []
    else:
        return []
    for index, (_, title) in enumerate(offered, 1):
        console.print(f"      {index}. {title}")
    return offered


def bench(
    rounds: Annotated[int, typer.Option(help="How many times to replay the conversations.")] = 3,
    knowledge: Annotated[
        bool, typer.Option(help="Also time questions answered from the sample knowledge base.")
    ] = True,
) -> None:
    """Time every turn of realistic conversations with the offline policy; print percentiles."""
    from rich.table import Table

    from agent.benchmark import measure, summary

    logging.getLogger().setLevel(logging.WARNING)
    report = measure(rounds=rounds, with_knowledge=knowledge)
    table = Table(title="Offline policy, per-turn latency (ms)")
    for column in ("turns", "count", "p50", "p95", "mean"):
        table.add_column(column)
    for kind, count, p50, p95, mean in summary(report):
        table.add_row(kind, str(count), f"{p50:.1f}", f"{p95:.1f}", f"{mean:.1f}")
    console.print(table)
