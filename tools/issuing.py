"""What settling a payment and an officer's decision both need: issue a PDF, tell the citizen."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from tools.catalog import Catalog
from tools.clock import Clock
from tools.notifications import ConversationNotifier
from tools.settings import Settings


@dataclass(frozen=True)
class IssuingDeps:
    """The database, time, catalog, where documents go, how they are signed, and who to tell."""

    engine: Engine
    clock: Clock
    catalog: Catalog
    data_dir: Path
    public_base_url: str
    signing_key: str
    notifier: ConversationNotifier

    @classmethod
    def from_settings(
        cls, settings: Settings, engine: Engine, clock: Clock, catalog: Catalog,
        notifier: ConversationNotifier,
    ) -> IssuingDeps:
        """The dependencies from the settings."""
        return cls(engine=engine, clock=clock, catalog=catalog, data_dir=settings.data_dir,
                   public_base_url=settings.public_base_url,
                   signing_key=settings.secret("signing_key"), notifier=notifier)
