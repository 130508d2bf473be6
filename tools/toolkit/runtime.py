"""Runs tools: one transaction per call, idempotent writes, errors as typed outcomes."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from tools import audit
from tools.catalog import Catalog
from tools.clock import Clock
from tools.db.models import Citizen, IdempotencyRecord
from tools.officer.backend import DepartmentBackend, LocalBackOffice
from tools.payments.gateway import Gateway
from tools.settings import Settings
from tools.toolkit.context import ToolContext
from tools.toolkit.errors import ToolError, ToolRefused, ToolRetry
from tools.toolkit.registry import IDEMPOTENCY_FIELD, TOOLS

logger = logging.getLogger(__name__)


@dataclass
class ToolOutcome:
    """The result of one tool call: a result model, or an error with its code."""

    name: str
    result: BaseModel | None = None
    error: ToolError | None = None
    replayed: bool = False
    arguments: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """Whether the call succeeded."""
        return self.error is None

    def for_model(self) -> dict[str, Any]:
        """What a language model is shown of this outcome."""
        if self.result is not None:
            return {"ok": True, "result": self.result.model_dump(mode="json")}
        assert self.error is not None
        kind = "retry" if isinstance(self.error, ToolRetry) else "refused"
        return {"ok": False, "kind": kind, "code": self.error.code, "detail": self.error.detail}


@dataclass
class ToolRuntime:
    """Everything tools need, held once per process; `call` runs one tool for one citizen."""

    engine: Engine
    clock: Clock
    catalog: Catalog
    settings: Settings
    gateway: Gateway
    tariff_path: Path
    backend: DepartmentBackend = field(default_factory=LocalBackOffice)

    def ensure_citizen(
        self, wa_id: str, display_name: str | None = None, language: str | None = None
    ) -> int:
        """The citizen's row id, creating the row on first contact; writes only what is new."""
        with Session(self.engine) as session:
            citizen = session.exec(select(Citizen).where(Citizen.wa_id == wa_id)).first()
            if citizen is None:
                citizen = Citizen(
                    wa_id=wa_id, display_name=display_name, created_at=self.clock.now()
                )
            changed = citizen.id is None
            if display_name and not citizen.display_name:
                citizen.display_name, changed = display_name, True
            if language and citizen.preferred_language != language:
                citizen.preferred_language, changed = language, True
            if changed:
                session.add(citizen)
                try:
                    session.commit()
                except IntegrityError:
                    session.rollback()
                    citizen = session.exec(select(Citizen).where(Citizen.wa_id == wa_id)).one()
            assert citizen.id is not None
            return citizen.id

    def call(
        self,
        citizen_wa_id: str,
        name: str,
        arguments: dict[str, Any],
        *,
        idempotency_key: str | None = None,
        department: str | None = None,
    ) -> ToolOutcome:
        """Run tool `name` for a citizen; never raises for a tool's own failures."""
        spec = TOOLS.get(name)
        if spec is None:
            error = ToolRetry("unknown_tool", f"there is no tool named {name!r}")
            return ToolOutcome(name=name, error=error, arguments=arguments)

        arguments = dict(arguments)
        if spec.writes and idempotency_key is not None:
            arguments[IDEMPOTENCY_FIELD] = idempotency_key
        try:
            args = spec.args_model.model_validate(arguments)
        except ValidationError as invalid:
            detail = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in invalid.errors()
            )
            return ToolOutcome(
                name=name, error=ToolRetry("invalid_arguments", detail), arguments=arguments
            )

        citizen_id = self.ensure_citizen(citizen_wa_id)
        outcome = self._run(spec.name, args, citizen_id, department)
        outcome.arguments = arguments
        logger.info(
            "tool %s for citizen %s: %s%s",
            name,
            citizen_id,
            "ok" if outcome.ok else f"error {outcome.error.code}",  # type: ignore[union-attr]
            " (replayed)" if outcome.replayed else "",
        )
        return outcome

    def _run(
        self, name: str, args: BaseModel, citizen_id: int, department: str | None
    ) -> ToolOutcome:
        spec = TOOLS[name]
        key = None
        if spec.writes:
            key = f"{citizen_id}:{name}:{getattr(args, IDEMPOTENCY_FIELD)}"

        with Session(self.engine, expire_on_commit=False) as session:
            # A write seen before returns its stored result and does nothing again.
            if key is not None:
                stored = session.get(IdempotencyRecord, key)
                if stored is not None:
                    result = spec.result_model.model_validate(stored.result)
                    return ToolOutcome(name=name, result=result, replayed=True)

            citizen = session.get(Citizen, citizen_id)
            assert citizen is not None
            context = ToolContext(
                session=session,
                clock=self.clock,
                catalog=self.catalog,
                citizen=citizen,
                settings=self.settings,
                gateway=self.gateway,
                tariff_path=self.tariff_path,
                department=department,
            )
            try:
                result = spec.func(context, args)
                if key is not None:
                    session.add(
                        IdempotencyRecord(
                            key=key,
                            tool=name,
                            citizen_id=citizen_id,
                            result=result.model_dump(mode="json"),
                            created_at=self.clock.now(),
                        )
                    )
                session.commit()
            except ToolError as error:
                session.rollback()
                return ToolOutcome(name=name, error=error)
            except IntegrityError:
                # Another worker ran the same key at the same moment: return what it stored.
                session.rollback()
                if key is not None:
                    stored = session.get(IdempotencyRecord, key)
                    if stored is not None:
                        result = spec.result_model.model_validate(stored.result)
                        return ToolOutcome(name=name, result=result, replayed=True)
                logger.exception("tool %s hit a database conflict", name)
                conflict = ToolRefused("conflict", "the request clashed with another; try again")
                return ToolOutcome(name=name, error=conflict)
            if name == "submit_application":
                self._hand_over(result)
            return ToolOutcome(name=name, result=result)

    def _hand_over(self, result: BaseModel) -> None:
        """Give a submitted application to the department's system, after our own commit.

        The citizen's submission stands whatever the department system answers; a failed
        handover is logged and audited for an operator to retry.
        """
        number = result.application.number  # type: ignore[attr-defined]
        try:
            reference = self.backend.submit(number)
        except Exception as error:  # a remote system's fault must not undo the submission
            logger.warning("handover of %s to %s failed: %s", number, self.backend.name, error)
            reference = None
        with Session(self.engine) as session:
            audit.record(session, self.clock, actor="system", action="handed_over",
                         entity="application", entity_id=number, backend=self.backend.name,
                         reference=reference, ok=reference is not None)
            session.commit()
