"""The interface to department systems (e-District and others), and the local back office.

The agent never talks to a department system: a submitted application is handed to the
configured backend, and decisions come back from it through `apply_decision`, which uses the
same workflow, audit and notifications as an officer acting here. A real integration
implements `DepartmentBackend` and replaces `LocalBackOffice` without touching the agent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, Protocol

from tools.issuing import IssuingDeps
from tools.officer.decisions import approve, ask, reject
from tools.officer.views import DecisionResult

Action = Literal["approve", "reject", "ask"]


@dataclass(frozen=True)
class DepartmentDecision:
    """A decision taken in a department system, to be applied here."""

    application_number: str
    action: Action
    officer: str
    reason: str | None = None
    fields: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)


class DepartmentBackend(Protocol):
    """A department system that receives applications and decides them."""

    name: str

    def submit(self, application_number: str) -> str:
        """Hand over a submitted application; return the department's reference for it."""
        ...

    def decisions(self) -> list[DepartmentDecision]:
        """Decisions taken since the last call, for `apply_decision`."""
        ...


class LocalBackOffice:
    """The default backend: officers decide here, through `nagrik officer` or the HTTP API.

    There is nothing to hand over (the back office reads the application database) and no
    decision to collect (officers' actions apply at once).
    """

    name = "local"

    def submit(self, application_number: str) -> str:
        """The application number is the back office's own reference."""
        return application_number

    def decisions(self) -> list[DepartmentDecision]:
        """Nothing queued: local decisions are applied when they are taken."""
        return []


def apply_decision(deps: IssuingDeps, decision: DepartmentDecision) -> DecisionResult:
    """Apply a department system's decision through the same path as a local officer."""
    number, officer = decision.application_number, decision.officer
    if decision.action == "approve":
        return approve(deps, number, officer=officer, note=decision.reason)
    if decision.action == "reject":
        return reject(deps, number, officer=officer, reason=decision.reason or "")
    return ask(deps, number, officer=officer, fields=decision.fields,
               documents=decision.documents, note=decision.reason)
