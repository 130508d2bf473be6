"""Imports every module that defines tables, so that the metadata knows them all."""

from __future__ import annotations

import importlib
import logging

logger = logging.getLogger(__name__)

# Modules that define application tables, in the packages allowed to hold them.
MODEL_MODULES = ("tools.db.models", "whatsapp.store_models")


def import_all_models() -> None:
    """Import the table modules; one not present in this deployment is skipped."""
    for name in MODEL_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            logger.debug("no table module %s", name)
