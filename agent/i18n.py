"""Fixed texts of the bot, from message catalogs in Hindi, English and Hinglish.

Texts never live in code: a key names a text in `catalogs/messages.yaml`, and `text()` picks
the citizen's language and fills in the parameters.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict

from tools.catalog.schema import LocalText

CATALOG_FILE = Path(__file__).resolve().parent / "catalogs" / "messages.yaml"
LANGUAGES = ("hi", "hi-Latn", "en")


class MessageCatalog(BaseModel):
    """Every fixed text by key, each in three languages."""

    model_config = ConfigDict(frozen=True)

    messages: dict[str, LocalText]

    def text(self, key: str, language: str, **params: Any) -> str:
        """The text `key` in `language`, with `{name}` placeholders filled from `params`."""
        try:
            template = self.messages[key].in_language(language)
        except KeyError:
            raise KeyError(f"message {key!r} is not in {CATALOG_FILE.name}") from None
        return template.format(**params) if params else template


@lru_cache(maxsize=1)
def catalog() -> MessageCatalog:
    """The message catalog, read once."""
    with CATALOG_FILE.open(encoding="utf-8") as handle:
        return MessageCatalog(messages=yaml.safe_load(handle))


def text(key: str, language: str, **params: Any) -> str:
    """The fixed text `key` in the citizen's language."""
    return catalog().text(key, language, **params)


def local(value: LocalText | dict[str, str], language: str) -> str:
    """A catalog LocalText (or its dict form) in the citizen's language."""
    if isinstance(value, dict):
        value = LocalText.model_validate(value)
    return value.in_language(language)
