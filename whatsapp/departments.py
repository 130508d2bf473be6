"""Department numbers: which department a `phone_number_id` belongs to, and back.

The catalog's `departments.yaml` names each department's number; `NAGRIK_WHATSAPP_DEPARTMENTS_FILE`
may point at another file of the same shape (a list of `id`, `phone_number_id`,
`display_phone_number`, `general`) to map real numbers without touching the catalog.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import yaml

from tools.catalog import load_catalog
from tools.settings import Settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Number:
    """One business number and the department that answers on it."""

    phone_number_id: str
    department: str
    display_phone_number: str | None = None
    general: bool = False


class DepartmentNumbers:
    """Routing between business numbers and departments."""

    def __init__(self, numbers: list[Number]) -> None:
        if not numbers:
            raise ValueError("no department has a WhatsApp number: set phone_number_id")
        self.numbers = numbers
        self._by_id = {number.phone_number_id: number for number in numbers}
        self._by_department = {number.department: number for number in numbers}
        general = [number for number in numbers if number.general]
        self.general = general[0] if general else numbers[0]

    def department_for(self, phone_number_id: str | None) -> str | None:
        """The department of a number; None for a number we do not know (then: all services)."""
        number = self._by_id.get(phone_number_id or "")
        return number.department if number else None

    def number_for(self, department: str | None) -> Number:
        """The number a department sends from; the general number when it has none."""
        return self._by_department.get(department or "", self.general)

    def knows(self, phone_number_id: str | None) -> bool:
        """Whether the number is one of ours."""
        return (phone_number_id or "") in self._by_id


def load_numbers(settings: Settings) -> DepartmentNumbers:
    """The department numbers from the settings' file, else from the catalog."""
    if settings.whatsapp_departments_file is not None:
        return _from_file(settings.whatsapp_departments_file)

    catalog = load_catalog(settings.catalog_dir)
    numbers = [
        Number(
            phone_number_id=department.phone_number_id,
            department=department.id,
            display_phone_number=department.display_phone_number,
            general=department.general,
        )
        for department in catalog.departments.values()
        if department.phone_number_id
    ]
    return DepartmentNumbers(numbers)


def _from_file(path: Path) -> DepartmentNumbers:
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    if not isinstance(raw, list):
        raise ValueError(f"{path}: expected a list of departments with phone_number_id")
    numbers = []
    for index, item in enumerate(raw):
        department = item.get("department") or item.get("id") if isinstance(item, dict) else None
        if not department or not item.get("phone_number_id"):
            raise ValueError(f"{path}: entry {index} needs `id` and `phone_number_id`")
        numbers.append(
            Number(
                phone_number_id=str(item["phone_number_id"]),
                department=str(department),
                display_phone_number=item.get("display_phone_number"),
                general=bool(item.get("general", False)),
            )
        )
    logger.info("department numbers loaded from %s: %d numbers", path, len(numbers))
    return DepartmentNumbers(numbers)
