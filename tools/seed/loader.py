"""Loads demo (or scenario) citizens, properties and applications into the database."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, Field
from sqlmodel import Session, select

from tools.catalog import Catalog
from tools.clock import Clock
from tools.db.models import (
    Application,
    ApplicationField,
    Citizen,
    Property,
    PropertyYearPaid,
    Sequence,
    StatusChange,
    require_id,
)
from tools.toolkit.lookups import canonical_number
from tools.values import canonical_financial_year, canonical_upic

DEMO_FILE = Path(__file__).resolve().parent / "demo.yaml"


class CitizenSeed(BaseModel):
    """A citizen to create."""

    wa_id: str
    display_name: str | None = None
    preferred_language: str | None = None


class PropertySeed(BaseModel):
    """A property to register, with the financial years already paid."""

    upic: str
    owner_wa_id: str
    address: str = ""
    category: str = Field(pattern=r"^[A-H]$")
    covered_area_sqm: float = Field(gt=0)
    construction_year: int
    use: str = "residential"
    structure: str = "pucca"
    occupancy: str = "self"
    first_financial_year: str | None = None
    paid_years: list[str] = Field(default_factory=list)


class ApplicationSeed(BaseModel):
    """An application that already exists, such as one submitted last week."""

    number: str
    service: str
    owner_wa_id: str
    status: str = "submitted"
    fields: dict[str, Any] = Field(default_factory=dict)


class Seed(BaseModel):
    """Rows to create before anything else happens."""

    citizens: list[CitizenSeed] = Field(default_factory=list)
    properties: list[PropertySeed] = Field(default_factory=list)
    applications: list[ApplicationSeed] = Field(default_factory=list)


def load_seed_file(path: Path = DEMO_FILE) -> Seed:
    """Read a seed file."""
    with path.open(encoding="utf-8") as handle:
        return Seed.model_validate(yaml.safe_load(handle) or {})


def apply_seed(session: Session, clock: Clock, catalog: Catalog, seed: Seed) -> dict[str, int]:
    """Create the seed's rows that do not exist yet; return how many of each were added."""
    added = {"citizens": 0, "properties": 0, "applications": 0}
    citizens: dict[str, Citizen] = {}

    def citizen(wa_id: str, **extra: Any) -> Citizen:
        if wa_id in citizens:
            return citizens[wa_id]
        row = session.exec(select(Citizen).where(Citizen.wa_id == wa_id)).first()
        if row is None:
            row = Citizen(wa_id=wa_id, created_at=clock.now(), **extra)
            session.add(row)
            session.flush()
            added["citizens"] += 1
        citizens[wa_id] = row
        return row

    for item in seed.citizens:
        citizen(
            item.wa_id,
            display_name=item.display_name,
            preferred_language=item.preferred_language,
        )

    for prop in seed.properties:
        upic = canonical_upic(prop.upic)
        if session.exec(select(Property).where(Property.upic == upic)).first():
            continue
        owner = citizen(prop.owner_wa_id)
        row = Property(
            upic=upic,
            owner_citizen_id=require_id(owner),
            address=prop.address,
            category=prop.category,
            covered_area_sqm=prop.covered_area_sqm,
            use=prop.use,
            structure=prop.structure,
            construction_year=prop.construction_year,
            occupancy=prop.occupancy,
            first_financial_year=prop.first_financial_year,
        )
        session.add(row)
        session.flush()
        for year in prop.paid_years:
            fy = canonical_financial_year(year)
            session.add(
                PropertyYearPaid(
                    property_id=require_id(row),
                    financial_year=fy,
                    paid_on=date(int(fy[:4]), 6, 1),
                )
            )
        added["properties"] += 1

    for app in seed.applications:
        number = canonical_number(app.number)
        if session.exec(select(Application).where(Application.number == number)).first():
            continue
        catalog.service(app.service)  # an unknown service fails here, loudly
        owner = citizen(app.owner_wa_id)
        now = clock.now()
        application = Application(
            number=number,
            service_id=app.service,
            citizen_id=require_id(owner),
            status=app.status,
            created_at=now,
            updated_at=now,
            submitted_at=now if app.status != "draft" else None,
        )
        session.add(application)
        session.flush()
        app_id = require_id(application)
        session.add(StatusChange(application_id=app_id, to_status=app.status, actor="seed", at=now))
        for name, value in app.fields.items():
            session.add(
                ApplicationField(application_id=app_id, name=name, value=value, updated_at=now)
            )
        _advance_sequence(session, number)
        added["applications"] += 1

    session.commit()
    return added


def _advance_sequence(session: Session, number: str) -> None:
    """Keep the numbering ahead of a seeded number, so new applications never collide."""
    code, year, serial = number.split("-")
    name = f"{code}-{year}"
    sequence = session.get(Sequence, name) or Sequence(name=name, value=0)
    sequence.value = max(sequence.value, int(serial))
    session.add(sequence)
    session.flush()
