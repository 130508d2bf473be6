"""Imports every tool module so that each registers its tools; import this to get them all."""

from tools.toolkit import (  # noqa: F401
    application_tools,
    catalog_tools,
    help_tools,
    payment_tools,
    status_tools,
)
from tools.toolkit.registry import TOOLS

__all__ = ["TOOLS"]
