"""What a citizen wants from one message, decided by rules over the lexicon and the catalog."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import get_close_matches
from enum import StrEnum
from functools import lru_cache

from agent import entities
from agent.language import requested_language
from agent.lexicon import lexicon
from agent.normalize import fold, has_any, has_phrase, is_only, tokens
from tools.catalog import Catalog
from tools.catalog.schema import Service

GIBBERISH_VOWELS = re.compile(r"[aeiouy]", re.IGNORECASE)
FUZZY_CUTOFF = 0.84
# Words too common in requests to tell services apart, even if one service alone uses them.
GENERIC_WORDS = frozenset(
    {"certificate", "praman", "patra", "chahiye", "apply", "application", "banwana", "banana",
     "register", "registration", "new", "online", "delhi", "seva", "service", "the", "for",
     "and", "प्रमाण", "पत्र", "चाहिए", "आवेदन", "पंजीकरण", "card", "form", "ka", "ki", "ke",
     "bharna", "jama", "kar", "pay", "ghar", "सर्टिफिकेट", "patri", "kacha", "kachcha",
     "कच्चा", "category", "court", "कोर्ट", "bike", "gaadi", "मकान"}
)


class Intent(StrEnum):
    """The kinds of thing a message can ask for."""

    EMPTY = "empty"
    GREET = "greet"
    LANGUAGE = "language"
    YES = "yes"
    NO = "no"
    SKIP = "skip"
    CANCEL = "cancel"
    HUMAN = "human"
    STATUS = "status"
    QUESTION = "question"
    SERVICE = "service"
    PROPERTY_TAX = "property_tax"
    PAY = "pay"
    CORRECTION = "correction"
    ANSWER = "answer"
    THANKS = "thanks"
    RESUME = "resume"
    RESEND = "resend"
    DOCUMENT = "document"
    UNSUPPORTED = "unsupported"
    EVENT = "event"
    UNKNOWN = "unknown"


@dataclass
class Understanding:
    """The intent of a message and the values found in it."""

    intent: Intent
    text: str = ""
    folded: str = ""
    service_id: str | None = None
    application_numbers: list[str] = field(default_factory=list)
    upics: list[str] = field(default_factory=list)
    language_requested: str | None = None


def service_mentioned(catalog: Catalog, folded: str, *, strict: bool = False) -> str | None:
    """The service a message names: a whole keyword or name first, else its distinctive words.

    `strict` (while a form waits for an answer) accepts whole keywords and names only.
    """
    best, best_score = None, 0
    for service in catalog.services.values():
        for phrase in _service_phrases(service):
            if has_phrase(folded, phrase):
                score = len(fold(phrase))
                if score > best_score:
                    best, best_score = service.id, score
    if best is not None or strict:
        return best
    return _by_distinctive_words(catalog, tokens(folded))


def _service_phrases(service: Service) -> list[str]:
    return [service.name.en, service.name.hi, service.name.hi_latn, *service.keywords]


@lru_cache(maxsize=8)
def _distinctive_words(catalog: Catalog) -> dict[str, frozenset[str]]:
    """Per service, the words of its names and keywords that no other service uses."""
    words = {
        service.id: {w for p in _service_phrases(service) for w in tokens(fold(p)) if len(w) > 2}
        for service in catalog.services.values()
    }
    distinctive = {}
    for service_id, own in words.items():
        others = set().union(*(w for other, w in words.items() if other != service_id))
        distinctive[service_id] = frozenset(own - others - GENERIC_WORDS)
    return distinctive


def _by_distinctive_words(catalog: Catalog, message_words: list[str]) -> str | None:
    scores: dict[str, int] = {}
    for service_id, vocabulary in _distinctive_words(catalog).items():
        for word in message_words:
            if word in vocabulary or (
                len(word) >= 5
                and get_close_matches(word, vocabulary, n=1, cutoff=FUZZY_CUTOFF)
            ):
                scores[service_id] = scores.get(service_id, 0) + 1
    if not scores:
        return None
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
        return None
    return ranked[0][0]


def looks_like_question(folded: str, raw: str) -> bool:
    """A question mark, or a question word, in the message."""
    return "?" in raw or has_any(folded, lexicon().question_words)


def looks_like_gibberish(folded: str) -> bool:
    """Letters without sense: no vowels in long Latin words, or one character repeated."""
    words = tokens(folded)
    if not words:
        return True
    latin = [w for w in words if w.isascii() and w.isalpha()]
    if latin and all(len(w) >= 5 and not GIBBERISH_VOWELS.search(w) for w in latin):
        return True
    return bool(re.fullmatch(r"(.)\1{3,}", folded.replace(" ", "")))


def classify(
    text: str,
    catalog: Catalog,
    *,
    awaiting_field: bool,
    awaiting_confirmation: bool,
    awaiting_upic: bool,
) -> Understanding:
    """Decide what a text message asks for, given what the bot is waiting for."""
    lex = lexicon()
    folded = fold(text)
    found = Understanding(intent=Intent.UNKNOWN, text=text, folded=folded)
    found.application_numbers = entities.application_numbers(
        text, {s.code for s in catalog.services.values()}
    )
    found.upics = entities.upics(text) if not found.application_numbers else []

    if not folded.strip():
        found.intent = Intent.EMPTY
        return found

    found.language_requested = requested_language(text)
    if found.language_requested:
        found.intent = Intent.LANGUAGE
        return found
    if is_only(_without_fillers(folded), lex.greetings):
        found.intent = Intent.GREET
        return found
    if awaiting_confirmation and (reply := _yes_or_no(folded)) is not None:
        found.intent = reply
        return found
    if awaiting_field and (
        is_only(folded, lex.skip) or (has_any(folded, lex.skip) and len(tokens(folded)) <= 6)
    ):
        found.intent = Intent.SKIP
        return found
    if has_any(folded, lex.cancel) and len(tokens(folded)) <= 10:
        found.intent = Intent.CANCEL
        return found
    if has_any(folded, lex.human_help):
        found.intent = Intent.HUMAN
        return found

    service = service_mentioned(catalog, folded, strict=awaiting_field)
    question = looks_like_question(folded, text)
    if found.application_numbers or has_any(folded, lex.status):
        found.intent, found.service_id = Intent.STATUS, service
        return found
    if question and not awaiting_field:
        found.intent, found.service_id = Intent.QUESTION, service
        return found
    if question and awaiting_field and not _answer_shaped(folded):
        found.intent, found.service_id = Intent.QUESTION, service
        return found
    if found.upics or (awaiting_upic and not service):
        found.intent = Intent.PROPERTY_TAX
        return found
    if service and not (awaiting_field and _is_correction(folded, text, catalog)):
        found.service_id = service
        is_tax = catalog.service(service).kind.value == "payment"
        found.intent = Intent.PROPERTY_TAX if is_tax else Intent.SERVICE
        return found
    if has_any(folded, lex.pay) and len(tokens(folded)) <= 8:
        found.intent = Intent.PAY
        return found
    if awaiting_field and _is_correction(folded, text, catalog):
        found.intent = Intent.CORRECTION
        return found
    if awaiting_field:
        found.intent = Intent.ANSWER
        return found
    if is_only(folded, lex.thanks):
        found.intent = Intent.THANKS
        return found
    if is_only(folded, lex.yes) or is_only(folded, lex.no):
        found.intent = Intent.YES if is_only(folded, lex.yes) else Intent.NO
        return found
    return found


def _is_correction(folded: str, raw: str, catalog: Catalog) -> bool:
    """Whether a message corrects an earlier answer rather than giving a new one.

    A correction word ("nahi", "galat", "wrong", "sorry") among its first words, with a field
    named ("janm tithi", "father's name", or just "date" or "naam"), or set off with a comma
    right away ("nahi, 5 march"); "H no 12" or "actually I want…" are not corrections.
    """
    words = tokens(folded)
    if len(words) < 2:
        return False
    correction = {fold(word) for word in lexicon().correction}
    if not any(word.strip(",.") in correction for word in words[:6]):
        return False
    generic = [*lexicon().generic_date_words, *lexicon().generic_name_words]
    if any(has_phrase(folded, phrase) for phrase in [*_field_phrases(catalog), *generic]):
        return True
    first = raw.strip().split(maxsplit=1)[0] if raw.strip() else ""
    return first.endswith(",") and fold(first.rstrip(",")) in correction


@lru_cache(maxsize=8)
def _field_phrases(catalog: Catalog) -> tuple[str, ...]:
    phrases = {p for aliases in lexicon().field_aliases.values() for p in aliases}
    for service in catalog.services.values():
        for spec in service.fields:
            phrases.update({spec.label.en, spec.label.hi, spec.label.hi_latn})
    return tuple(sorted(phrases))


def _without_fillers(folded: str) -> str:
    fillers = {fold(word) for word in lexicon().greeting_fillers}
    return " ".join(word for word in folded.split() if word.strip(".,!") not in fillers)


def _yes_or_no(folded: str) -> Intent | None:
    """Yes or No to a confirmation: the word alone, or leading a short reply ("haan pay karo")."""
    lex = lexicon()
    if is_only(folded, lex.yes):
        return Intent.YES
    if is_only(folded, lex.no):
        return Intent.NO
    words = tokens(folded)
    if not words or len(words) > 6:
        return None
    leads_yes = any(is_only(" ".join(words[:n]), lex.yes) for n in (1, 2))
    leads_no = any(is_only(" ".join(words[:n]), lex.no) for n in (1, 2))
    if leads_yes and not leads_no:
        return Intent.YES
    if leads_no and not leads_yes:
        return Intent.NO
    return None


def _answer_shaped(folded: str) -> bool:
    """A message that reads as an answer even with a question word in it ("ha kya")."""
    return len(tokens(folded)) <= 2 and "?" not in folded
