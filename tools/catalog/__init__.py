"""The service catalog: one YAML file per service, validated at load time."""

from tools.catalog.loader import Catalog, CatalogError, load_catalog
from tools.catalog.schema import Department, DocumentSpec, FieldSpec, Service

__all__ = [
    "Catalog",
    "CatalogError",
    "Department",
    "DocumentSpec",
    "FieldSpec",
    "Service",
    "load_catalog",
]
