"""Turning each scenario turn into the `Incoming` message the agent receives."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from sqlmodel import Session

from agent.messages import Incoming, IncomingKind
from evals.scenarios.environment import ScenarioEnvironment
from evals.scenarios.expectations import fold
from evals.scenarios.model import Turn, Upload
from evals.scenarios.payments import NoOpenPayment, settle_open_payment

FILES_FOLDER = "files"


class StepError(RuntimeError):
    """A turn cannot be carried out (a button never offered, a missing file); says why."""


def make_incoming(
    env: ScenarioEnvironment,
    turn: Turn,
    message_id: str,
    offered: list[list[tuple[str, str]]],
) -> Incoming:
    """The message for one turn; `offered` holds the choices of earlier turns, oldest first."""
    scenario = env.scenario
    base: dict[str, Any] = {
        "message_id": message_id,
        "citizen_id": scenario.citizen.wa_id,
        "citizen_name": scenario.citizen.name,
        "department": scenario.department,
    }
    if turn.user is not None:
        return Incoming(kind=IncomingKind.TEXT, text=turn.user, **base)
    if turn.tap is not None:
        choice_id, title = resolve_tap(turn.tap, offered)
        return Incoming(kind=IncomingKind.CHOICE, choice_id=choice_id, choice_title=title, **base)
    if turn.upload is not None:
        return _upload(env, turn.upload, message_id, base)
    return _pay(env, turn.pay == "success", message_id, base)


def resolve_tap(wanted: str, offered: list[list[tuple[str, str]]]) -> tuple[str, str]:
    """The (id, title) of the choice tapped: by id or title, newest turn's choices first.

    `opt:<value>` and `service:<id>` ids also answer to the bare value or id.
    """
    key = fold(wanted)
    for choices in reversed(offered):
        for choice_id, title in choices:
            bare = choice_id.split(":", 1)[-1]
            if key in (fold(choice_id), fold(title), fold(bare)):
                return choice_id, title
    latest = offered[-1] if offered else []
    raise StepError(
        f"tap {wanted!r}: no such button or list row was offered; "
        f"the last ones were {[title for _id, title in latest] or 'none'}"
    )


def resolve_file(source: Path | None, name: str) -> Path:
    """The file an upload names: beside the scenario file, or in its `files` folder."""
    folder = source.parent if source else Path.cwd()
    for candidate in (folder / name, folder / FILES_FOLDER / name):
        if candidate.is_file():
            return candidate
    raise StepError(f"upload: no file {name!r} beside {source or 'the scenario'}")


def _upload(
    env: ScenarioEnvironment, upload: Upload, message_id: str, base: dict[str, Any]
) -> Incoming:
    try:
        from tools.documents.intake import DocumentRejected
        from tools.documents.service import intake_limits, receive_document
        from tools.documents.vault import Vault
    except ImportError as error:
        raise StepError(f"upload: document intake is not available yet ({error})") from None

    path = resolve_file(env.scenario.source, upload.file)
    data = path.read_bytes()
    declared = mimetypes.guess_type(path.name)[0]
    citizen_id = env.tools.ensure_citizen(env.scenario.citizen.wa_id, env.scenario.citizen.name)
    with Session(env.tools.engine) as session:
        try:
            document = receive_document(
                session,
                Vault.from_settings(env.settings),
                citizen_id=citizen_id,
                data=data,
                declared_mime=declared,
                filename=path.name,
                source_message_id=message_id,
                clock=env.clock,
                limits=intake_limits(env.settings),
            )
        except DocumentRejected as refused:
            return Incoming(
                kind=IncomingKind.UNSUPPORTED,
                media_kind="document",
                rejection=str(refused.code),
                text=upload.caption or "",
                **base,
            )
    return Incoming(
        kind=IncomingKind.DOCUMENT,
        document_id=document.id,
        text=upload.caption or "",
        **base,
    )


def _pay(
    env: ScenarioEnvironment, success: bool, message_id: str, base: dict[str, Any]
) -> Incoming:
    try:
        return settle_open_payment(
            env.tools, env.scenario.citizen.wa_id, success=success,
            base={**base, "message_id": message_id},
        )
    except NoOpenPayment as error:
        raise StepError(f"pay: {error}") from None
    except ValueError as error:  # PaymentMismatch and friends
        raise StepError(f"pay: the payment could not be settled: {error}") from None


def document_read(env: ScenarioEnvironment, incoming: Incoming) -> Incoming | None:
    """Read an uploaded document as the OCR worker would, and return the event it sends.

    In the server OCR runs off the request path and its result arrives as a later event in
    the citizen's queue; here it runs at once, so the citizen's next step sees its outcome.
    """
    from agent.document_reader import DocumentReader
    from tools.documents.vault import Vault

    if incoming.kind is not IncomingKind.DOCUMENT or incoming.document_id is None:
        return None
    reader = DocumentReader(env.tools, Vault.from_settings(env.settings))
    try:
        return reader.read(incoming.document_id, incoming)
    finally:
        reader.close()
