"""Judging the database at the end of a scenario: a subset match against `final`.

Each table is read into plain rows (see `snapshot`). An expected item matches a row when every
key it lists matches: text case-insensitively, numbers by value, a list inside `fields` as the
same set, any other list (documents, paid_years) as a subset of the row's. Every expected item
must match some row; list order does not matter, and one row may satisfy several items.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from evals.scenarios.expectations import fold
from evals.scenarios.model import FinalState
from tools.db.models import (
    Application,
    ApplicationField,
    Citizen,
    Document,
    Payment,
    Property,
    PropertyYearPaid,
)

TABLES = ("applications", "payments", "properties", "citizens")
Row = dict[str, Any]


def snapshot(engine: Engine) -> dict[str, list[Row]]:
    """The rows `final` can talk about, keyed the way scenarios name them."""
    with Session(engine) as session:
        wa_ids = {c.id: c.wa_id for c in session.exec(select(Citizen)).all()}
        numbers: dict[int | None, str] = {}
        applications = []
        for app in session.exec(select(Application)).all():
            numbers[app.id] = app.number
            fields = session.exec(
                select(ApplicationField).where(ApplicationField.application_id == app.id)
            ).all()
            slots = session.exec(select(Document.slot).where(Document.application_id == app.id))
            applications.append(
                {
                    "number": app.number,
                    "service": app.service_id,
                    "status": app.status,
                    "owner_wa_id": wa_ids.get(app.citizen_id),
                    "fields": {row.name: row.value for row in fields},
                    "documents": sorted({slot for slot in slots.all() if slot}),
                }
            )
        upics: dict[int | None, str] = {}
        properties = []
        for prop in session.exec(select(Property)).all():
            upics[prop.id] = prop.upic
            years = session.exec(
                select(PropertyYearPaid.financial_year).where(
                    PropertyYearPaid.property_id == prop.id
                )
            ).all()
            properties.append(
                {
                    "upic": prop.upic,
                    "owner_wa_id": wa_ids.get(prop.owner_citizen_id),
                    "paid_years": sorted(years),
                }
            )
        payments = [
            {
                "status": pay.status,
                "amount": pay.amount_paise / 100,
                "owner_wa_id": wa_ids.get(pay.citizen_id),
                "application": numbers.get(pay.application_id),
                "upic": upics.get(pay.property_id),
                "financial_year": pay.financial_year,
                "department": pay.department,
            }
            for pay in session.exec(select(Payment)).all()
        ]
        citizens = [
            {
                "wa_id": c.wa_id,
                "name": c.display_name,
                "preferred_language": c.preferred_language,
            }
            for c in session.exec(select(Citizen)).all()
        ]
    return {
        "applications": applications,
        "payments": payments,
        "properties": properties,
        "citizens": citizens,
    }


def check_final(final: FinalState, rows: dict[str, list[Row]]) -> list[str]:
    """Each part of `final` that does not hold, naming the item and the nearest row."""
    failures: list[str] = []
    for table in TABLES:
        for index, item in enumerate(getattr(final, table)):
            if not any(row_matches(item, row) for row in rows[table]):
                failures.append(
                    f"final.{table}[{index}]: no row matches {_short(item)}; "
                    f"{_nearest(item, rows[table])}"
                )
    for table, items in final.absent.items():
        if table not in rows:
            failures.append(f"final.absent.{table}: unknown table (use one of {list(TABLES)})")
            continue
        for index, item in enumerate(items):
            hits = [row for row in rows[table] if row_matches(item, row)]
            if hits:
                failures.append(
                    f"final.absent.{table}[{index}]: {_short(item)} should match no row; "
                    f"it matches {_short(hits[0])}"
                )
    for table, count in final.counts.items():
        if table not in rows:
            failures.append(f"final.counts.{table}: unknown table (use one of {list(TABLES)})")
        elif len(rows[table]) != count:
            found = len(rows[table])
            failures.append(f"final.counts.{table}: expected {count} rows, found {found}")
    return failures


def row_matches(item: Row, row: Row) -> bool:
    """Whether every key of the expected item matches the row."""
    return not _mismatches(item, row)


def _mismatches(item: Row, row: Row) -> list[str]:
    wrong = []
    for key, expected in item.items():
        if key not in row:
            wrong.append(f"{key} (no such key; known: {sorted(row)})")
        elif key == "fields":
            stored = row["fields"]
            for name, value in (expected or {}).items():
                if name not in stored or not field_equal(value, stored[name]):
                    wrong.append(f"fields.{name}={stored.get(name, '(unset)')!r}")
        elif isinstance(expected, list):
            have = {_norm(value) for value in row[key] or []}
            if not {_norm(value) for value in expected} <= have:
                wrong.append(f"{key}={row[key]!r}")
        elif not field_equal(expected, row[key]):
            wrong.append(f"{key}={row[key]!r}")
    return wrong


def field_equal(expected: Any, actual: Any) -> bool:
    """Whether a stored value equals the expected one: lists as sets, text case-insensitively."""
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return False
        return sorted(_norm(v) for v in expected) == sorted(_norm(v) for v in actual)
    return _norm(expected) == _norm(actual)


def _norm(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    text = fold(str(value))
    try:
        return float(text)
    except ValueError:
        return text


def _nearest(item: Row, rows: list[Row]) -> str:
    if not rows:
        return "the table is empty"
    best = min(rows, key=lambda row: len(_mismatches(item, row)))
    label = best.get("number") or best.get("upic") or best.get("wa_id") or best.get("status")
    return f"nearest row {label}: {'; '.join(_mismatches(item, best))}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."
