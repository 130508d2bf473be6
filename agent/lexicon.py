"""Words the offline policy recognises, loaded from `catalogs/lexicon.yaml` (data, not code)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict

LEXICON_FILE = Path(__file__).resolve().parent / "catalogs" / "lexicon.yaml"


class Lexicon(BaseModel):
    """Word lists by purpose; phrases are matched on normalised, lower-case text."""

    model_config = ConfigDict(frozen=True)

    hinglish_markers: frozenset[str]
    english_markers: frozenset[str]
    language_requests: dict[str, list[str]]
    greetings: list[str]
    greeting_fillers: list[str]
    yes: list[str]
    no: list[str]
    skip: list[str]
    cancel: list[str]
    status: list[str]
    question_words: list[str]
    human_help: list[str]
    pay: list[str]
    thanks: list[str]
    correction: list[str]
    spellings: dict[str, str]
    months: dict[str, int]
    number_words: dict[str, int]
    relative_days: dict[str, int]
    field_aliases: dict[str, list[str]]
    generic_date_words: list[str]
    generic_name_words: list[str]
    filler_words: list[str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon, read once."""
    with LEXICON_FILE.open(encoding="utf-8") as handle:
        return Lexicon.model_validate(yaml.safe_load(handle))
