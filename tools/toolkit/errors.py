"""The two ways a tool fails: retry with corrected arguments, or stop and tell the citizen.

Each error carries a stable `code` (the agent renders it from its message catalogs in the
citizen's language), an English `detail` for an LLM or an operator, and `params` for the text.
"""

from __future__ import annotations

from typing import Any


class ToolError(Exception):
    """Base class of tool failures."""

    def __init__(self, code: str, detail: str, **params: Any) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.params = params


class ToolRetry(ToolError):
    """The call can succeed with corrected arguments (a bad date, an unknown service)."""


class ToolRefused(ToolError):
    """The call cannot succeed; tell the citizen why (not their application, already paid)."""
