"""Synthetic documents with ground truth: what each line says and which fields it carries.

Four kinds of document that citizens send for Delhi's services, each in Hindi and English:
a hospital discharge slip (proof of birth), an affidavit (birth or caste), an Aadhaar card
(with a made-up number) and a wedding invitation card. The same seed gives the same documents.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

KINDS = ("hospital_slip", "affidavit", "aadhaar_card", "wedding_card")
LANGUAGES = ("en", "hi")

MALE = [("रवि", "Ravi"), ("सुरेश", "Suresh"), ("अमित", "Amit"), ("राजेश", "Rajesh"),
        ("मोहन", "Mohan"), ("विकास", "Vikas"), ("अनिल", "Anil"), ("संजय", "Sanjay"),
        ("दीपक", "Deepak"), ("मनोज", "Manoj"), ("राहुल", "Rahul"), ("अजय", "Ajay")]
FEMALE = [("प्रिया", "Priya"), ("सुनीता", "Sunita"), ("अनीता", "Anita"), ("पूजा", "Pooja"),
          ("नेहा", "Neha"), ("कविता", "Kavita"), ("रेखा", "Rekha"), ("मीना", "Meena"),
          ("सीमा", "Seema"), ("आरती", "Aarti"), ("ममता", "Mamta"), ("गीता", "Geeta")]
SURNAMES = [("कुमार", "Kumar"), ("शर्मा", "Sharma"), ("वर्मा", "Verma"), ("गुप्ता", "Gupta"),
            ("सिंह", "Singh"), ("यादव", "Yadav"), ("जैन", "Jain"), ("अग्रवाल", "Agarwal"),
            ("चौहान", "Chauhan"), ("मेहता", "Mehta"), ("बंसल", "Bansal"), ("तिवारी", "Tiwari")]
HOSPITALS = [("लोक नायक अस्पताल", "Lok Nayak Hospital", "LNH"),
             ("सफदरजंग अस्पताल", "Safdarjung Hospital", "SJH"),
             ("दीन दयाल उपाध्याय अस्पताल", "Deen Dayal Upadhyay Hospital", "DDU"),
             ("गुरु तेग बहादुर अस्पताल", "Guru Teg Bahadur Hospital", "GTB"),
             ("लाल बहादुर शास्त्री अस्पताल", "Lal Bahadur Shastri Hospital", "LBS"),
             ("कस्तूरबा अस्पताल", "Kasturba Hospital", "KBH")]
LOCALITIES = [("लक्ष्मी नगर", "Laxmi Nagar", "110092"), ("राजौरी गार्डन", "Rajouri Garden", "110027"),
              ("मयूर विहार", "Mayur Vihar", "110091"), ("करोल बाग", "Karol Bagh", "110005"),
              ("जनकपुरी", "Janakpuri", "110058"), ("शाहदरा", "Shahdara", "110032"),
              ("पटेल नगर", "Patel Nagar", "110008"), ("मालवीय नगर", "Malviya Nagar", "110017")]
VENUES = [("शांति बैंक्वेट हॉल", "Shanti Banquet Hall"), ("आशीर्वाद वाटिका", "Ashirwad Vatika"),
          ("मंगलम फार्म्स", "Mangalam Farms"), ("श्री राम मंदिर", "Shri Ram Mandir")]
EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December"]
HI_MONTHS = ["जनवरी", "फरवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर",
             "अक्टूबर", "नवंबर", "दिसंबर"]


@dataclass(frozen=True)
class Line:
    """One printed line: its text, font size in pixels, weight and alignment."""

    text: str
    size: int = 30
    bold: bool = False
    center: bool = False


@dataclass
class Sample:
    """One synthetic document: its lines and the fields a reader should extract from it."""

    id: str
    kind: str
    language: str
    lines: list[Line]
    fields: dict[str, str]
    field_kinds: dict[str, str]
    width: int = 1240
    as_pdf: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The ground-truth text, one line per printed line."""
        return "\n".join(line.text for line in self.lines)


def make_samples(per_kind: int = 2, seed: int = 7) -> list[Sample]:
    """`per_kind` documents of every kind in every language, the same for the same seed."""
    builders = {"hospital_slip": _hospital_slip, "affidavit": _affidavit,
                "aadhaar_card": _aadhaar_card, "wedding_card": _wedding_card}
    samples = []
    for kind in KINDS:
        for language in LANGUAGES:
            for index in range(per_kind):
                rng = random.Random(f"{seed}:{kind}:{language}:{index}")
                sample = builders[kind](rng, language)
                sample.id = f"{kind}-{language}-{index}"
                samples.append(sample)
    return samples


def _person(rng: random.Random, pool: list[tuple[str, str]], surname: tuple[str, str] | None = None
            ) -> tuple[str, str]:
    given = rng.choice(pool)
    last = surname or rng.choice(SURNAMES)
    return f"{given[0]} {last[0]}", f"{given[1]} {last[1]}"


def _date(rng: random.Random, start: int, end: int) -> date:
    first = date(start, 1, 1)
    return first + timedelta(days=rng.randrange((date(end, 12, 31) - first).days))


def _show_date(rng: random.Random, day: date, language: str) -> str:
    styles = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "long"]
    style = rng.choice(styles)
    if style != "long":
        return day.strftime(style)
    if language == "hi":
        return f"{day.day} {HI_MONTHS[day.month - 1]} {day.year}"
    if rng.random() < 0.5:
        return f"{EN_MONTHS[day.month - 1]} {day.day}, {day.year}"
    return f"{day.day} {EN_MONTHS[day.month - 1]} {day.year}"


def _address(rng: random.Random) -> tuple[str, str]:
    house, gali = rng.randint(1, 250), rng.randint(1, 20)
    hi_loc, en_loc, pin = rng.choice(LOCALITIES)
    return (f"मकान नं. {house}, गली नं. {gali}, {hi_loc}, दिल्ली {pin}",
            f"House No. {house}, Gali No. {gali}, {en_loc}, Delhi {pin}")


def _pick(language: str, pair: tuple[str, ...]) -> str:
    return pair[0] if language == "hi" else pair[1]


def _hospital_slip(rng: random.Random, language: str) -> Sample:
    surname = rng.choice(SURNAMES)
    mother, father = _person(rng, FEMALE, surname), _person(rng, MALE, surname)
    hospital = rng.choice(HOSPITALS)
    born = _date(rng, 2019, 2025)
    number = f"{hospital[2]}/{born.year}/{rng.randint(1000, 99999):05d}"
    weight = f"{rng.randint(24, 39) / 10:.1f}"
    hi = language == "hi"
    lines = [
        Line(_pick(language, hospital), 40, bold=True, center=True),
        Line("राष्ट्रीय राजधानी क्षेत्र दिल्ली सरकार" if hi else "Government of NCT of Delhi",
             26, center=True),
        Line("डिस्चार्ज पर्ची" if hi else "DISCHARGE SLIP", 34, bold=True, center=True),
        Line(f"पंजीकरण संख्या: {number}" if hi else f"Registration No: {number}"),
        Line(f"माता का नाम: श्रीमती {mother[0]}" if hi else f"Mother's Name: Smt. {mother[1]}"),
        Line(f"पिता का नाम: श्री {father[0]}" if hi else f"Father's Name: Shri {father[1]}"),
        Line(f"जन्म तिथि: {_show_date(rng, born, language)}" if hi
             else f"Date of Birth: {_show_date(rng, born, language)}"),
        Line(f"शिशु का लिंग: {rng.choice(['पुत्र', 'पुत्री'])}   वजन: {weight} किग्रा" if hi
             else f"Sex of Baby: {rng.choice(['Male', 'Female'])}   Weight: {weight} kg"),
        Line("माँ और शिशु स्वस्थ हैं और छुट्टी दी जाती है।" if hi
             else "Mother and baby are healthy and discharged."),
        Line("चिकित्सा अधिकारी के हस्ताक्षर" if hi else "Signature of Medical Officer", 26),
    ]
    return Sample(
        id="", kind="hospital_slip", language=language, lines=lines,
        fields={"hospital_name": _pick(language, hospital), "certificate_number": number,
                "mother_name": _pick(language, mother), "father_name": _pick(language, father),
                "date_of_birth": born.isoformat()},
        field_kinds={"hospital_name": "text", "certificate_number": "number",
                     "mother_name": "name", "father_name": "name", "date_of_birth": "date"},
    )


def _affidavit(rng: random.Random, language: str) -> Sample:
    surname = rng.choice(SURNAMES)
    female = rng.random() < 0.5
    person = _person(rng, FEMALE if female else MALE, surname)
    father = _person(rng, MALE, surname)
    born = _date(rng, 1960, 2006)
    address = _address(rng)
    shown = _show_date(rng, born, language)
    if language == "hi":
        relation = "पुत्री" if female else "पुत्र"
        lines = [
            Line("शपथ पत्र", 40, bold=True, center=True),
            Line(f"मैं, {person[0]}, {relation} श्री {father[0]},"),
            Line(f"निवासी {address[0]},"),
            Line("शपथपूर्वक निम्नलिखित कथन करता/करती हूँ:"),
            Line(f"1. मेरी जन्म तिथि {shown} है।"),
            Line("2. मैं दिल्ली का/की स्थायी निवासी हूँ।"),
            Line("3. उपरोक्त कथन मेरी जानकारी के अनुसार सत्य है।"),
            Line("अभिसाक्षी", 30, bold=True),
        ]
    else:
        relation = "D/o" if female else "S/o"
        lines = [
            Line("AFFIDAVIT", 40, bold=True, center=True),
            Line(f"I, {person[1]}, {relation} Shri {father[1]},"),
            Line(f"resident of {address[1]},"),
            Line("do hereby solemnly affirm and declare as under:"),
            Line(f"1. That my date of birth is {shown}."),
            Line("2. That I am a permanent resident of Delhi."),
            Line("3. That the above statement is true to the best of my knowledge."),
            Line("DEPONENT", 30, bold=True),
        ]
    return Sample(
        id="", kind="affidavit", language=language, lines=lines, as_pdf=True,
        fields={"name": _pick(language, person), "father_name": _pick(language, father),
                "date_of_birth": born.isoformat(), "address": _pick(language, address)},
        field_kinds={"name": "name", "father_name": "name", "date_of_birth": "date",
                     "address": "text"},
    )


def _aadhaar_card(rng: random.Random, language: str) -> Sample:
    female = rng.random() < 0.5
    person = _person(rng, FEMALE if female else MALE)
    born = _date(rng, 1960, 2006)
    # A made-up number; UIDAI numbers never start with 0 or 1.
    digits = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(11))
    shown_number = f"{digits[:4]} {digits[4:8]} {digits[8:]}"
    gender_hi, gender_en = ("महिला", "FEMALE") if female else ("पुरुष", "MALE")
    lines = [
        Line("भारत सरकार    GOVERNMENT OF INDIA", 30, bold=True, center=True),
    ]
    if language == "hi":
        lines.append(Line(person[0], 32))
    lines += [
        Line(person[1], 32),
        Line(f"जन्म तिथि/DOB: {born.strftime('%d/%m/%Y')}", 30),
        Line(f"{gender_hi}/ {gender_en}", 30),
        Line(shown_number, 44, bold=True, center=True),
        Line("मेरा आधार, मेरी पहचान", 28, center=True),
    ]
    return Sample(
        id="", kind="aadhaar_card", language=language, lines=lines, width=1000,
        fields={"name": _pick(language, person), "date_of_birth": born.isoformat(),
                "aadhaar_last4": digits[8:]},
        field_kinds={"name": "name", "date_of_birth": "date", "aadhaar_last4": "number"},
        extra={"aadhaar_number": digits},
    )


def _wedding_card(rng: random.Random, language: str) -> Sample:
    groom = _person(rng, MALE)
    bride = _person(rng, FEMALE)
    groom_father = _person(rng, MALE, (groom[0].split()[-1], groom[1].split()[-1]))
    bride_father = _person(rng, MALE, (bride[0].split()[-1], bride[1].split()[-1]))
    day = _date(rng, 2015, 2025)
    venue_name = rng.choice(VENUES)
    _, en_loc, _ = rng.choice(LOCALITIES)
    hi_loc = next(loc[0] for loc in LOCALITIES if loc[1] == en_loc)
    venue = (f"{venue_name[0]}, {hi_loc}, नई दिल्ली", f"{venue_name[1]}, {en_loc}, New Delhi")
    if language == "hi":
        lines = [
            Line("॥ शुभ विवाह ॥", 42, bold=True, center=True),
            Line("आप सपरिवार सादर आमंत्रित हैं", 30, center=True),
            Line(f"चि. {groom[0]}", 36, bold=True, center=True),
            Line(f"(सुपुत्र श्री {groom_father[0]})", 28, center=True),
            Line("संग", 30, center=True),
            Line(f"सौ. {bride[0]}", 36, bold=True, center=True),
            Line(f"(सुपुत्री श्री {bride_father[0]})", 28, center=True),
            Line(f"विवाह तिथि: {_show_date(rng, day, language)}", 30, center=True),
            Line(f"स्थान: {venue[0]}", 30, center=True),
        ]
    else:
        lines = [
            Line("Shubh Vivah", 42, bold=True, center=True),
            Line("We request the pleasure of your company at the wedding of", 28, center=True),
            Line(groom[1], 36, bold=True, center=True),
            Line(f"(S/o Shri {groom_father[1]})", 28, center=True),
            Line("with", 30, center=True),
            Line(bride[1], 36, bold=True, center=True),
            Line(f"(D/o Shri {bride_father[1]})", 28, center=True),
            Line(f"Date: {_show_date(rng, day, language)}", 30, center=True),
            Line(f"Venue: {venue[1]}", 30, center=True),
        ]
    return Sample(
        id="", kind="wedding_card", language=language, lines=lines,
        fields={"groom_name": _pick(language, groom), "bride_name": _pick(language, bride),
                "marriage_date": day.isoformat(), "venue": _pick(language, venue)},
        field_kinds={"groom_name": "name", "bride_name": "name", "marriage_date": "date",
                     "venue": "text"},
    )
