"""Fixtures for document tests: a temporary database, a vault, real files of each type."""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from tools.clock import INDIA, FixedClock
from tools.db.engine import make_engine
from tools.db.metadata import import_all_models
from tools.db.models import Citizen
from tools.documents.vault import Keyring, Vault

NOW = datetime(2026, 3, 2, 11, 30, tzinfo=INDIA)


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    import_all_models()
    engine = make_engine(f"sqlite:///{tmp_path / 'docs.db'}")
    SQLModel.metadata.create_all(engine)
    return engine


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


def make_citizen(session: Session, wa_id: str = "919810000001") -> int:
    row = Citizen(wa_id=wa_id, created_at=NOW)
    session.add(row)
    session.commit()
    assert row.id is not None
    return row.id


@pytest.fixture
def citizen_id(session: Session) -> int:
    return make_citizen(session)


def make_keyring(current: str = "k1", **old: bytes) -> Keyring:
    keys = {current: secrets.token_bytes(32), **old}
    return Keyring(current_id=current, keys=keys)


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return Vault(tmp_path / "documents", make_keyring())


def image_bytes(fmt: str, size: tuple[int, int] = (320, 200), text: str = "Nagrik") -> bytes:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).text((10, 10), text, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format=fmt)
    return buffer.getvalue()


def pdf_bytes(pages: int = 1) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=14)
    for number in range(pages):
        pdf.add_page()
        pdf.cell(text=f"Page {number + 1}")
    return bytes(pdf.output())
