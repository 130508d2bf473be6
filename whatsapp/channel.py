"""The running channel: everything the webhook, worker and sender share, built at startup."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from tools.clock import Clock
from tools.settings import Settings
from whatsapp.client import CloudClient
from whatsapp.departments import DepartmentNumbers
from whatsapp.sender import OutboxSender
from whatsapp.templates import TemplateRegistry
from whatsapp.worker import InboxWorker
from whatsapp.writer import Writer


@dataclass
class Channel:
    """The channel's parts; `worker` and `sender` are None when they run in another process."""

    settings: Settings
    engine: Engine
    clock: Clock
    numbers: DepartmentNumbers
    templates: TemplateRegistry
    client: CloudClient
    writer: Writer
    worker: InboxWorker | None = None
    sender: OutboxSender | None = None
