"""Fields read out of a document's OCR text: names, dates, hospital, numbers and addresses.

The document's kind is told from its words (a discharge slip, an affidavit, an Aadhaar card, a
wedding card, or `other`), then fields are found by their printed labels in English and Hindi
("Mother's Name", "माता का नाम"), by the phrases affidavits use ("I, …, S/o …", "मैं, …, पुत्र
…"), and by the layout of cards (the name above the date of birth; the groom and bride around
"with"/"संग"). Field names follow the catalog's where they can: `name`, `mother_name`,
`father_name`, `husband_name`, `wife_name`, `groom_name`, `bride_name`, `child_name`,
`date_of_birth`, `marriage_date`, `hospital_name`, `certificate_number`, `address`, `venue`,
`aadhaar_last4`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from tools.documents.aadhaar import ascii_digits, find_last_fours, mask_aadhaar
from tools.documents.dates import find_dates, parse_date
from tools.documents.names import clean_name

KIND_WORDS = {
    "hospital_slip": r"hospital|discharge|अस्पताल|चिकित्सालय|डिस्चार्ज|birth report|nursing home",
    "affidavit": r"affidavit|deponent|solemnly|शपथ|अभिसाक्षी|शपथपूर्वक",
    "aadhaar_card": r"aadhaar|aadhar|uidai|government of india|भारत सरकार|आधार",
    "wedding_card": r"wedding|vivah|vivaah|marriage|weds|विवाह|शादी|शुभ",
}

_SEP = r"\s*(?:[:：;=\-–—|/.]\s*)*"
LABELS: dict[str, str] = {
    "mother_name": r"mother'?s?\s*name|name\s+of\s+(?:the\s+)?mother|mother|(?:माता|माँ|मां)"
                   r"(?:\s*का\s*नाम)?",
    "father_name": r"father'?s?\s*name|name\s+of\s+(?:the\s+)?father|father|पिता(?:\s*का\s*नाम)?",
    "husband_name": r"husband'?s?\s*name|husband|पति(?:\s*का\s*नाम)?",
    "wife_name": r"wife'?s?\s*name|wife|पत्नी(?:\s*का\s*नाम)?",
    "groom_name": r"groom'?s?\s*name|groom|(?:वर|दूल्हे)(?:\s*का\s*नाम)?",
    "bride_name": r"bride'?s?\s*name|bride|(?:वधू|दुल्हन)(?:\s*का\s*नाम)?",
    "child_name": r"child'?s?\s*name|name\s+of\s+(?:the\s+)?(?:child|baby)|baby'?s?\s*name|"
                  r"(?:बच्चे|शिशु)\s*का\s*नाम",
    "name": r"(?:applicant'?s?\s*|full\s*)?name|(?:आवेदक\s*का\s*)?नाम",
    "date_of_birth": r"date\s*of\s*birth|birth\s*date|d\s*\.?\s*o\s*\.?\s*b\.?|"
                     r"जन्म\s*(?:की\s*)?(?:तिथि|तारीख|दिनांक)|जन्मतिथि",
    "marriage_date": r"date\s*of\s*(?:marriage|wedding)|(?:marriage|wedding)\s*date|"
                     r"(?:विवाह|शादी)\s*(?:की\s*)?(?:तिथि|तारीख|दिनांक)",
    "certificate_number": r"(?:registration|regn?|certificate|serial|receipt|ipd|uhid|mrd)\.?"
                          r"\s*(?:no|number|num)\.?|(?:पंजीकरण|प्रमाण\s*पत्र|क्रम|रसीद)\s*"
                          r"(?:संख्या|सं\.?|नं\.?|क्रमांक)|क्रमांक",
    "hospital_name": r"hospital'?s?\s*name|name\s+of\s+(?:the\s+)?hospital|अस्पताल\s*का\s*नाम",
    "address": r"(?:permanent\s*|residential\s*)?address|resident\s+of|r/o|पता|निवासी",
    "venue": r"venue|place|स्थान|स्थल",
    "date": r"date|dated|दिनांक|तिथि",
}
NAME_FIELDS = ("mother_name", "father_name", "husband_name", "wife_name", "groom_name",
               "bride_name", "child_name", "name")
DATE_FIELDS = ("date_of_birth", "marriage_date")
_LABEL_RES = {
    key: re.compile(rf"^\W*(?P<label>{value})(?P<sep>{_SEP})(?P<value>.*)$", re.IGNORECASE)
    for key, value in LABELS.items()
}
# Labels that need no colon after them: "माता का नाम श्रीमती …", "resident of …".
_SELF_ENDING = re.compile(r"(?:name|नाम|birth|तिथि|तारीख|no\.?|number|संख्या|of|निवासी|r/o)$",
                          re.IGNORECASE)
_RELATION = re.compile(
    r"(?:^|\bI\s*,|मैं\s*,?)\s*(?P<person>[^,()]+?)\s*,?\s*"
    r"(?P<rel>s\s*/\s*o|d\s*/\s*o|w\s*/\s*o|son\s+of|daughter\s+of|wife\s+of|"
    r"पुत्र|पुत्री|पत्नी)\s+(?P<other>[^,()\n]+)",
    re.IGNORECASE | re.MULTILINE,
)
_HOSPITAL = re.compile(
    r"[^\n:]*?(?:hospital|nursing\s+home|medical\s+(?:college|centre|center)|clinic|"
    r"अस्पताल|चिकित्सालय)[^\n,:]*", re.IGNORECASE
)
_NUMBER = re.compile(r"[A-Z0-9][A-Z0-9/\-]{3,}[A-Z0-9]", re.IGNORECASE)
_JOINERS = {"with", "weds", "and", "&", "संग", "सङ्ग", "के साथ", "साथ", "परिणय"}
_GROOM_MARK = re.compile(r"^\W*(?:चि|चिरंजीव|chi)\s*[.:]", re.IGNORECASE)
_BRIDE_MARK = re.compile(r"^\W*(?:सौ|सौभाग्यवती|सुश्री|आयु|sau|sushri)\s*[.:]", re.IGNORECASE)
_NOT_NAMES = re.compile(
    r"government|india|male|female|transgender|भारत|सरकार|पुरुष|महिला|आधार|aadhaar|dob|"
    r"year|birth|address|invite|request|शुभ|विवाह|vivah|wedding|hospital|अस्पताल|"
    r"affidavit|शपथ|date|तिथि|venue|स्थान",
    re.IGNORECASE,
)


@dataclass
class Extraction:
    """What was read: the document kind, named fields, and every name and date seen."""

    kind: str
    fields: dict[str, str] = field(default_factory=dict)
    names: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)


def normalise_text(text: str) -> str:
    """OCR text in NFC, without zero-width joiners, with ASCII digits and plain punctuation."""
    text = unicodedata.normalize("NFC", text).replace("\u200c", "").replace("\u200d", "")
    text = ascii_digits(text).replace("’", "'").replace("‘", "'").replace("：", ":")
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


def detect_kind(text: str) -> str:
    """The kind of document the text most looks like, or `other`."""
    scores = {kind: len(re.findall(words, text, re.IGNORECASE)) for kind, words in
              KIND_WORDS.items()}
    best = max(scores, key=lambda kind: scores[kind])
    return best if scores[best] else "other"


def extract_fields(text: str) -> Extraction:
    """Every field that can be read from the OCR text, Aadhaar numbers masked."""
    text = normalise_text(text)
    lines = [line for line in text.splitlines() if line.strip()]
    result = Extraction(kind=detect_kind(text))

    _labelled(lines, result)
    _dates_in_prose(text, result)
    _relations(text, result)
    if result.kind == "wedding_card":
        _wedding(lines, result)
    if result.kind == "aadhaar_card" or "name" not in result.fields:
        _name_above_birth_date(lines, result)
    _hospital(text, result)

    last_fours = find_last_fours(text)
    if last_fours:
        result.fields["aadhaar_last4"] = last_fours[0]
    if "date_of_birth" not in result.fields and "date" in result.fields:
        key = "marriage_date" if result.kind == "wedding_card" else "date_of_birth"
        result.fields[key] = result.fields["date"]
    result.fields.pop("date", None)
    if result.kind == "wedding_card" and "marriage_date" not in result.fields:
        dates = find_dates(text)
        if dates:
            result.fields["marriage_date"] = dates[0].iso

    result.dates = list(dict.fromkeys(found.iso for found in find_dates(text)))
    result.names = list(dict.fromkeys(
        [result.fields[key] for key in NAME_FIELDS if key in result.fields] + result.names
    ))
    result.fields = {key: mask_aadhaar(value) for key, value in result.fields.items()}
    return result


def _labelled(lines: list[str], result: Extraction) -> None:
    for index, line in enumerate(lines):
        for key, pattern in _LABEL_RES.items():
            match = pattern.match(line)
            if not match:
                continue
            value = _strip_label(match.group("value").strip())
            if value and not match.group("sep").strip() and not _SELF_ENDING.search(
                match.group("label")
            ):
                continue
            if not value and index + 1 < len(lines):
                value = lines[index + 1]
            parsed = _parse(key, value)
            if parsed:
                result.fields.setdefault(key, parsed)
            break


def _strip_label(value: str) -> str:
    """The value without a second label: bilingual forms print "माता का नाम / Mother's Name:"."""
    for pattern in _LABEL_RES.values():
        match = pattern.match(value)
        if match and match.group("sep").strip():
            return match.group("value").strip()
    return value


def _dates_in_prose(text: str, result: Extraction) -> None:
    """Dates named in a sentence: "that my date of birth is 5 August 1990"."""
    for key in DATE_FIELDS:
        if key in result.fields:
            continue
        for label in re.finditer(LABELS[key], text, re.IGNORECASE):
            following = [d for d in find_dates(text[label.end() :]) if d.start <= 40]
            if following:
                result.fields[key] = following[0].iso
                break


def _parse(key: str, value: str) -> str | None:
    if key in NAME_FIELDS:
        name = clean_name(value)
        return name if 2 <= len(name) and len(name.split()) <= 5 else None
    if key in DATE_FIELDS or key == "date":
        return parse_date(value)
    if key == "certificate_number":
        match = _NUMBER.search(value)
        return match.group(0).upper() if match else None
    cleaned = value.strip(" ,.;:")
    return cleaned or None


def _relations(text: str, result: Extraction) -> None:
    for match in _RELATION.finditer(text):
        person, other = clean_name(match.group("person")), clean_name(match.group("other"))
        relation = match.group("rel").lower().replace(" ", "")
        if not other:
            continue
        if person and len(person.split()) <= 4 and not _NOT_NAMES.search(person):
            result.fields.setdefault("name", person)
            result.names.append(person)
        key = "husband_name" if relation in ("w/o", "wifeof", "पत्नी") else "father_name"
        result.fields.setdefault(key, other)
        result.names.append(other)


def _looks_like_name(line: str) -> bool:
    cleaned = clean_name(line)
    words = cleaned.split()
    return (
        0 < len(words) <= 4
        and not re.search(r"\d", line)
        and not _NOT_NAMES.search(line)
        and len(cleaned) >= 3
    )


def _wedding(lines: list[str], result: Extraction) -> None:
    # Hindi cards mark the groom "चि." (chiranjeev) and the bride "सौ." or "सुश्री".
    for line in lines:
        if _GROOM_MARK.match(line) and _looks_like_name(line):
            result.fields.setdefault("groom_name", clean_name(line))
        elif _BRIDE_MARK.match(line) and _looks_like_name(line):
            result.fields.setdefault("bride_name", clean_name(line))
    for index, line in enumerate(lines):
        if line.strip(" .,()").lower() not in _JOINERS:
            continue
        before = [x for x in lines[:index] if not x.startswith("(") and _looks_like_name(x)]
        after = [x for x in lines[index + 1 :] if not x.startswith("(") and _looks_like_name(x)]
        if before:
            result.fields.setdefault("groom_name", clean_name(before[-1]))
        if after:
            result.fields.setdefault("bride_name", clean_name(after[0]))
        return
    for line in lines:
        parts = re.split(r"\s+(?:weds|with|संग|के साथ)\s+", line, flags=re.IGNORECASE)
        if len(parts) == 2 and all(_looks_like_name(part) for part in parts):
            result.fields.setdefault("groom_name", clean_name(parts[0]))
            result.fields.setdefault("bride_name", clean_name(parts[1]))
            return


def _name_above_birth_date(lines: list[str], result: Extraction) -> None:
    for index, line in enumerate(lines):
        # The label may be half misread ("जन्म fafa/DOB"), so look for it anywhere in the line.
        if not re.search(LABELS["date_of_birth"], line, re.IGNORECASE) or not find_dates(line):
            continue
        above = []
        for previous in reversed(lines[max(0, index - 3) : index]):
            if not _looks_like_name(previous):
                break
            above.append(clean_name(previous))
        if above:
            # Bilingual cards print the Hindi name first, then the English one.
            result.fields.setdefault("name", above[-1])
            result.names.extend(reversed(above))
        return


def _hospital(text: str, result: Extraction) -> None:
    if "hospital_name" in result.fields:
        return
    match = _HOSPITAL.search(text)
    if match:
        name = match.group(0).strip(" -|.,")
        if 2 <= len(name.split()) <= 8:
            result.fields["hospital_name"] = name
