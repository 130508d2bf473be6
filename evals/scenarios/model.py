"""The scenario format: what a citizen sends, turn by turn, and what must hold afterwards.

A scenario file (YAML) holds one scenario or a list of them. The keys are documented in
evals/README-section.md; unknown keys are refused so that a typo does not silently pass.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

LANGUAGES = ("hi", "hi-Latn", "en")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CitizenRef(_Strict):
    """The citizen who writes: their WhatsApp id and profile name."""

    wa_id: str
    name: str | None = None


class ToolExpectation(_Strict):
    """A tool call to look for: its name, optionally whether it succeeded and some arguments."""

    name: str
    ok: bool | None = None
    arguments: dict[str, Any] = Field(default_factory=dict)


class Expect(_Strict):
    """What must hold for one turn's outcome; every key is optional."""

    language: Literal["hi", "hi-Latn", "en"] | None = None
    tools: list[ToolExpectation] = Field(default_factory=list)
    not_tools: list[str] = Field(default_factory=list)
    tool_errors: list[str] = Field(default_factory=list)
    contains_any: list[str] = Field(default_factory=list)
    contains_all: list[str] = Field(default_factory=list)
    not_contains: list[str] = Field(default_factory=list)
    buttons: list[str] = Field(default_factory=list)
    reply_types: list[Literal["text", "buttons", "list", "document", "image"]] = Field(
        default_factory=list
    )

    @field_validator("tools", mode="before")
    @classmethod
    def _names_as_tools(cls, value: Any) -> Any:
        # `tools: [start_application]` is the short form of `[{name: start_application}]`.
        if isinstance(value, list):
            return [{"name": item} if isinstance(item, str) else item for item in value]
        return value


class Upload(_Strict):
    """A file the citizen sends; `slot` is the document slot it must end up in, if any."""

    file: str
    slot: str | None = None
    caption: str | None = None


class Turn(_Strict):
    """One thing the citizen does: exactly one of user, tap, upload or pay."""

    user: str | None = None
    tap: str | None = None
    upload: Upload | None = None
    pay: Literal["success", "failure"] | None = None
    wait: str | None = Field(default=None, description="Move the clock first: 10m, 2h, 3d.")
    expect: Expect = Field(default_factory=Expect)

    @field_validator("user", "tap", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        # YAML reads `user: 5` or `tap: yes` as a number or a boolean; the citizen typed text.
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, int | float):
            return str(value)
        return value

    @model_validator(mode="after")
    def _one_action(self) -> Turn:
        given = [k for k in ("user", "tap", "upload", "pay") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError(f"a turn needs exactly one of user, tap, upload, pay; got {given}")
        return self

    @property
    def kind(self) -> str:
        """The turn type: text, tap, upload or pay."""
        if self.user is not None:
            return "text"
        if self.tap is not None:
            return "tap"
        return "upload" if self.upload is not None else "pay"

    def describe(self) -> str:
        """The action in a few words, for failure messages."""
        if self.user is not None:
            return f"user: {self.user!r}"
        if self.tap is not None:
            return f"tap: {self.tap!r}"
        if self.upload is not None:
            return f"upload: {self.upload.file}"
        return f"pay: {self.pay}"


class FinalState(_Strict):
    """The database at the end: rows that must exist, rows that must not, and counts."""

    applications: list[dict[str, Any]] = Field(default_factory=list)
    payments: list[dict[str, Any]] = Field(default_factory=list)
    properties: list[dict[str, Any]] = Field(default_factory=list)
    citizens: list[dict[str, Any]] = Field(default_factory=list)
    absent: dict[str, list[dict[str, Any]]] = Field(default_factory=dict)
    counts: dict[str, int] = Field(default_factory=dict)


class Scenario(_Strict):
    """One conversation to replay and judge."""

    id: str = Field(pattern=r"^[A-Za-z0-9_.\-]+$")
    title: str = ""
    tags: list[str] = Field(default_factory=list)
    clock: datetime
    citizen: CitizenRef
    department: str | None = None
    service: str | None = Field(default=None, description="Default: the first service tag.")
    language: str | None = Field(default=None, description="Default: the first language tag.")
    fixtures: dict[str, Any] = Field(default_factory=dict)
    turns: list[Turn] = Field(min_length=1)
    final: FinalState = Field(default_factory=FinalState)
    source: Path | None = Field(default=None, exclude=True)

    @field_validator("clock", mode="before")
    @classmethod
    def _aware(cls, value: Any) -> Any:
        if isinstance(value, str) and value.endswith("Z"):
            return value[:-1] + "+00:00"
        return value

    def service_of(self, known: set[str]) -> str:
        """The service this scenario is about, for the report: explicit, else the first tag."""
        if self.service:
            return self.service
        return next((tag for tag in self.tags if tag in known), "other")

    def language_of(self) -> str:
        """The citizen's starting language, for the report: explicit, else the first tag."""
        if self.language:
            return self.language
        return next((tag for tag in self.tags if tag in LANGUAGES), "unknown")
