"""The template registry: messages approved by Meta for use outside the 24-hour window."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

DEFAULT_FILE = Path(__file__).resolve().parent / "templates.yaml"


class TemplateCategory(StrEnum):
    """Meta's template categories; marketing ones respect the citizen's opt-out."""

    UTILITY = "utility"
    MARKETING = "marketing"
    AUTHENTICATION = "authentication"


class Template(BaseModel):
    """One approved template in one language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9_]+$")
    language: str
    category: TemplateCategory
    parameters: list[str] = Field(default_factory=list)
    header: Literal["document", "image"] | None = None
    body: str

    def render(self, values: dict[str, str]) -> str:
        """The body with its parameters filled in, as the citizen will read it."""
        text = self.body
        for position, name in enumerate(self.parameters, start=1):
            text = text.replace(f"{{{{{position}}}}}", values.get(name, ""))
        return text


class TemplateMessage(BaseModel):
    """A template to send: which one, in which language, with which values (and file)."""

    type: Literal["template"] = "template"
    name: str
    language: str
    values: dict[str, str] = Field(default_factory=dict)
    header_path: str | None = Field(default=None, description="File for a document header.")
    header_filename: str | None = None
    header_mime_type: str = "application/pdf"


class TemplateError(ValueError):
    """A template message that the registry cannot send; the message says why."""


class TemplateRegistry:
    """All templates, by name and language."""

    def __init__(self, templates: list[Template]) -> None:
        self._templates = {(t.name, t.language): t for t in templates}

    def __len__(self) -> int:
        return len(self._templates)

    def get(self, name: str, language: str) -> Template:
        """The template of that name and language; TemplateError when it is not registered."""
        try:
            return self._templates[(name, language)]
        except KeyError:
            raise TemplateError(f"template {name!r} in {language!r} is not registered") from None

    def check(self, message: TemplateMessage) -> Template:
        """The template a message uses, after checking its values and header file."""
        template = self.get(message.name, message.language)
        missing = [name for name in template.parameters if not message.values.get(name)]
        if missing:
            raise TemplateError(f"template {message.name!r} needs values for {missing}")
        if template.header and not message.header_path:
            raise TemplateError(f"template {message.name!r} needs a {template.header} header")
        return template

    def components(self, message: TemplateMessage, header_media_id: str | None) -> dict[str, Any]:
        """The `template` object of a Cloud API send request."""
        template = self.check(message)
        components: list[dict[str, Any]] = []
        if template.header and header_media_id:
            media: dict[str, Any] = {"id": header_media_id}
            if template.header == "document" and message.header_filename:
                media["filename"] = message.header_filename
            components.append(
                {"type": "header", "parameters": [{"type": template.header,
                                                   template.header: media}]}
            )
        if template.parameters:
            values = [{"type": "text", "text": message.values[n]} for n in template.parameters]
            components.append({"type": "body", "parameters": values})
        return {
            "name": template.name,
            "language": {"code": template.language},
            "components": components,
        }


def load_templates(path: Path | None = None) -> TemplateRegistry:
    """Read the registry from YAML (default: whatsapp/templates.yaml)."""
    path = path or DEFAULT_FILE
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or []
    templates = []
    for index, item in enumerate(raw):
        try:
            templates.append(Template.model_validate(item))
        except ValidationError as error:
            raise TemplateError(f"{path}: entry {index}: {error}") from error
    return TemplateRegistry(templates)
