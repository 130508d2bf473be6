"""The tool registry: each tool's name, input and result models, and whether it writes.

A tool is a function `(ctx, args) -> result`. Its docstring and its models' field
descriptions are exactly what a language model reads, so they are written for one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, Field

from tools.catalog import Catalog
from tools.toolkit.context import ToolContext

IDEMPOTENCY_FIELD = "idempotency_key"


class WriteArgs(BaseModel):
    """Arguments shared by every tool that changes something."""

    idempotency_key: str = Field(
        min_length=1,
        max_length=150,
        description="Unique per intended action; the same key twice performs the action once.",
    )


@dataclass(frozen=True)
class ToolSpec:
    """A registered tool."""

    name: str
    func: Callable[[ToolContext, Any], BaseModel]
    args_model: type[BaseModel]
    result_model: type[BaseModel]
    writes: bool
    confirm: bool  # submits, pays or cancels: the citizen confirms first
    description: str


TOOLS: dict[str, ToolSpec] = {}

A = TypeVar("A", bound=BaseModel)
R = TypeVar("R", bound=BaseModel)


def tool(
    args_model: type[A], result_model: type[R], *, writes: bool = False, confirm: bool = False
) -> Callable[[Callable[[ToolContext, A], R]], Callable[[ToolContext, A], R]]:
    """Register a function as a tool under its own name."""

    def register(func: Callable[[ToolContext, A], R]) -> Callable[[ToolContext, A], R]:
        if writes and not issubclass(args_model, WriteArgs):
            raise TypeError(f"{func.__name__}: a writing tool's arguments extend WriteArgs")
        TOOLS[func.__name__] = ToolSpec(
            name=func.__name__,
            func=func,
            args_model=args_model,
            result_model=result_model,
            writes=writes,
            confirm=confirm,
            description=" ".join((func.__doc__ or "").split()),
        )
        return func

    return register


def openai_tool_schemas(catalog: Catalog, names: list[str] | None = None) -> list[dict[str, Any]]:
    """Function-calling schemas of the tools, with the catalog's service ids as an enum.

    The idempotency key is left out: the runtime derives it from the message being handled,
    so a model cannot forget it or reuse one.
    """
    service_ids = sorted(catalog.services)
    schemas = []
    for spec in TOOLS.values():
        if names is not None and spec.name not in names:
            continue
        parameters = spec.args_model.model_json_schema()
        properties = parameters.get("properties", {})
        properties.pop(IDEMPOTENCY_FIELD, None)
        if IDEMPOTENCY_FIELD in parameters.get("required", []):
            parameters["required"].remove(IDEMPOTENCY_FIELD)
        if "service_id" in properties:
            properties["service_id"]["enum"] = service_ids
        parameters.pop("title", None)
        schemas.append(
            {
                "type": "function",
                "function": {
                    "name": spec.name,
                    "description": spec.description,
                    "parameters": parameters,
                },
            }
        )
    return schemas
