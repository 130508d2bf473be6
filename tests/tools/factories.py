"""Factories for database rows and a ready tool runtime over a temporary database."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from tools.catalog import load_catalog
from tools.clock import INDIA, FixedClock
from tools.db.engine import make_engine
from tools.db.metadata import import_all_models
from tools.db.models import Citizen, Document, Property, PropertyYearPaid, require_id
from tools.payments.sandbox import SandboxGateway
from tools.settings import PACKAGE_ROOT, Settings
from tools.toolkit.build import TARIFF_FILE_NAME
from tools.toolkit.runtime import ToolRuntime

CATALOG_DIR = PACKAGE_ROOT / "catalog"


def make_test_engine(tmp_path: Path) -> Engine:
    import_all_models()
    engine = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    SQLModel.metadata.create_all(engine)
    return engine


def make_runtime(
    tmp_path: Path,
    at: datetime = datetime(2026, 11, 25, 10, 0, tzinfo=INDIA),
    catalog_dir: Path = CATALOG_DIR,
) -> ToolRuntime:
    engine = make_test_engine(tmp_path)
    settings = Settings(data_dir=tmp_path, catalog_dir=catalog_dir)
    return ToolRuntime(
        engine=engine,
        clock=FixedClock(at),
        catalog=load_catalog(catalog_dir),
        settings=settings,
        gateway=SandboxGateway.at(f"sqlite:///{tmp_path / 'gw.db'}", "http://test"),
        tariff_path=catalog_dir / TARIFF_FILE_NAME,
    )


def citizen(engine: Engine, wa_id: str = "919810000001", **extra: Any) -> int:
    with Session(engine) as session:
        row = Citizen(wa_id=wa_id, created_at=datetime(2026, 1, 1, tzinfo=INDIA), **extra)
        session.add(row)
        session.commit()
        return require_id(row)


def document(engine: Engine, citizen_id: int, content: bytes = b"slip") -> int:
    with Session(engine) as session:
        row = Document(
            citizen_id=citizen_id,
            sha256=hashlib.sha256(content).hexdigest(),
            mime_type="image/png",
            size_bytes=len(content),
            key_id="k1",
            storage_path="unused",
            created_at=datetime(2026, 1, 1, tzinfo=INDIA),
        )
        session.add(row)
        session.commit()
        return require_id(row)


def property_row(
    engine: Engine,
    owner_id: int,
    upic: str = "DL0123456789AB1",
    paid_years: tuple[str, ...] = (),
    **facts: Any,
) -> int:
    values: dict[str, Any] = {
        "category": "B",
        "covered_area_sqm": 100,
        "construction_year": 1985,
        "use": "residential",
        "structure": "pucca",
        "occupancy": "self",
        "first_financial_year": "2026-27",
        "address": "12 C Lajpat Nagar",
    }
    values.update(facts)
    with Session(engine) as session:
        row = Property(upic=upic, owner_citizen_id=owner_id, **values)
        session.add(row)
        session.flush()
        for year in paid_years:
            session.add(
                PropertyYearPaid(
                    property_id=require_id(row), financial_year=year, paid_on=date(2025, 6, 1)
                )
            )
        session.commit()
        return require_id(row)
