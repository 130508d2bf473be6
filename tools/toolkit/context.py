"""What every tool receives: the database session, the clock, the catalog and the citizen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlmodel import Session

from tools.catalog import Catalog
from tools.clock import Clock, today
from tools.db.models import Citizen
from tools.payments.gateway import Gateway
from tools.settings import Settings


@dataclass
class ToolContext:
    """Dependencies of a tool call; built by the dispatcher, never read from globals."""

    session: Session
    clock: Clock
    catalog: Catalog
    citizen: Citizen
    settings: Settings
    gateway: Gateway
    tariff_path: Path
    department: str | None = None

    @property
    def citizen_id(self) -> int:
        """The database id of the citizen making the call."""
        assert self.citizen.id is not None, "the citizen row must be saved"
        return self.citizen.id

    @property
    def actor(self) -> str:
        """How the audit log names this citizen."""
        return f"citizen:{self.citizen_id}"

    def today(self) -> date:
        """Today's date in India."""
        return today(self.clock)
