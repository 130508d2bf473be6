"""Reads the catalog folder: `departments.yaml` and one file per service under `services/`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from tools.catalog.schema import Department, Service

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)


class CatalogError(ValueError):
    """A catalog file is missing, unreadable or invalid; the message names file and field."""


@dataclass(frozen=True, eq=False)
class Catalog:
    """Every department and service, by id."""

    departments: dict[str, Department]
    services: dict[str, Service]

    def service(self, service_id: str) -> Service:
        """The service with that id; KeyError when there is none."""
        return self.services[service_id]

    def by_code(self, code: str) -> Service | None:
        """The service whose short code (BC, CC, …) is `code`, if any."""
        for service in self.services.values():
            if service.code == code.upper():
                return service
        return None

    def for_department(self, department_id: str | None) -> list[Service]:
        """Services in the order a department's number offers them: its own first."""
        ordered = sorted(self.services.values(), key=lambda s: s.id)
        if department_id is None or department_id not in self.departments:
            return ordered
        if self.departments[department_id].general:
            return ordered
        own = [s for s in ordered if s.department == department_id]
        return own + [s for s in ordered if s.department != department_id]


def load_catalog(folder: Path) -> Catalog:
    """Load and validate every file of a catalog folder; raise CatalogError on the first fault."""
    departments_file = folder / "departments.yaml"
    raw_departments = _read(departments_file)
    if not isinstance(raw_departments, list):
        raise CatalogError(f"{departments_file}: expected a list of departments")
    departments: dict[str, Department] = {}
    for index, raw in enumerate(raw_departments):
        department = _validate(Department, raw, departments_file, prefix=f"[{index}]")
        departments[department.id] = department

    services: dict[str, Service] = {}
    codes: dict[str, Path] = {}
    for path in sorted((folder / "services").glob("*.yaml")):
        service = _validate(Service, _read(path), path)
        if service.id in services:
            raise CatalogError(f"{path}: service id {service.id!r} is used by another file")
        if service.code in codes:
            raise CatalogError(
                f"{path}: code {service.code!r} is also used by {codes[service.code]}"
            )
        if service.department not in departments:
            raise CatalogError(
                f"{path}: field 'department': {service.department!r} is not in {departments_file}"
            )
        services[service.id] = service
        codes[service.code] = path

    logger.info("catalog loaded: %d services, %d departments", len(services), len(departments))
    return Catalog(departments=departments, services=services)


def _read(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError as error:
        raise CatalogError(f"{path}: file not found") from error
    except yaml.YAMLError as error:
        raise CatalogError(f"{path}: not valid YAML: {error}") from error


def _validate(model: type[M], raw: Any, path: Path, prefix: str = "") -> M:
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        problems = []
        for item in error.errors():
            location = prefix + ".".join(str(part) for part in item["loc"])
            problems.append(f"field '{location or '(top)'}': {item['msg']}")
        raise CatalogError(f"{path}: " + "; ".join(problems)) from error
