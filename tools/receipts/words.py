"""Amounts in words, the Indian way (thousand, lakh, crore), in English and in Hindi."""

from __future__ import annotations

ONES_EN = (
    "Zero One Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve Thirteen Fourteen "
    "Fifteen Sixteen Seventeen Eighteen Nineteen"
).split()
TENS_EN = "_ _ Twenty Thirty Forty Fifty Sixty Seventy Eighty Ninety".split()

# Hindi has a word of its own for every number below a hundred.
HINDI_0_99 = (
    "शून्य एक दो तीन चार पाँच छह सात आठ नौ "
    "दस ग्यारह बारह तेरह चौदह पंद्रह सोलह सत्रह अठारह उन्नीस "
    "बीस इक्कीस बाईस तेईस चौबीस पच्चीस छब्बीस सत्ताईस अट्ठाईस उनतीस "
    "तीस इकतीस बत्तीस तैंतीस चौंतीस पैंतीस छत्तीस सैंतीस अड़तीस उनतालीस "
    "चालीस इकतालीस बयालीस तैंतालीस चवालीस पैंतालीस छियालीस सैंतालीस अड़तालीस उनचास "
    "पचास इक्यावन बावन तिरेपन चौवन पचपन छप्पन सत्तावन अट्ठावन उनसठ "
    "साठ इकसठ बासठ तिरेसठ चौंसठ पैंसठ छियासठ सड़सठ अड़सठ उनहत्तर "
    "सत्तर इकहत्तर बहत्तर तिहत्तर चौहत्तर पचहत्तर छिहत्तर सतहत्तर अठहत्तर उनासी "
    "अस्सी इक्यासी बयासी तिरासी चौरासी पचासी छियासी सत्तासी अट्ठासी नवासी "
    "नब्बे इक्यानवे बानवे तिरानवे चौरानवे पचानवे छियानवे सत्तानवे अट्ठानवे निन्यानवे"
).split()

# Indian place values above a hundred, largest first: (size, English, Hindi).
SCALES = ((10_000_000, "Crore", "करोड़"), (100_000, "Lakh", "लाख"), (1_000, "Thousand", "हज़ार"))


def _below_hundred_en(value: int) -> str:
    if value < 20:
        return ONES_EN[value]
    tens, ones = divmod(value, 10)
    return TENS_EN[tens] + (f"-{ONES_EN[ones]}" if ones else "")


def _below_thousand(value: int, hindi: bool) -> list[str]:
    hundreds, rest = divmod(value, 100)
    words: list[str] = []
    if hundreds:
        words += [HINDI_0_99[hundreds], "सौ"] if hindi else [ONES_EN[hundreds], "Hundred"]
    if rest:
        words.append(HINDI_0_99[rest] if hindi else _below_hundred_en(rest))
    return words


def number_words(value: int, *, hindi: bool = False) -> str:
    """A whole number in words: `1,25,000` is `One Lakh Twenty-Five Thousand`."""
    if value < 0:
        raise ValueError("amounts in words are for amounts of zero or more")
    if value == 0:
        return HINDI_0_99[0] if hindi else ONES_EN[0]
    words: list[str] = []
    for size, english, hindi_word in SCALES:
        count, value = divmod(value, size)
        if count:
            # Above 99 crore the count itself is read in the same system: "Two Hundred Crore".
            words.append(number_words(count, hindi=hindi) if count > 99 else (
                HINDI_0_99[count] if hindi else _below_hundred_en(count)
            ))
            words.append(hindi_word if hindi else english)
    words += _below_thousand(value, hindi)
    return " ".join(words)


def rupees_in_words(amount_paise: int) -> str:
    """An amount in English words, such as `Rupees Ten and Fifty Paise Only`."""
    rupees, paise = divmod(amount_paise, 100)
    text = f"Rupees {number_words(rupees)}"
    if paise:
        text += f" and {number_words(paise)} Paise"
    return text + " Only"


def rupees_in_hindi(amount_paise: int) -> str:
    """An amount in Hindi words: `चार हज़ार तीन सौ उन्नीस रुपये पचास पैसे मात्र`."""
    rupees, paise = divmod(amount_paise, 100)
    text = f"{number_words(rupees, hindi=True)} रुपये"
    if paise:
        text += f" {number_words(paise, hindi=True)} पैसे"
    return text + " मात्र"


def figures(amount_paise: int) -> str:
    """An amount in figures with Indian grouping and paise: `₹1,25,000.00`."""
    rupees, paise = divmod(amount_paise, 100)
    digits = str(rupees)
    head, tail = digits[:-3], digits[-3:]
    groups: list[str] = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    grouped = ",".join([part for part in (head, *groups) if part] + [tail])
    return f"₹{grouped}.{paise:02d}"
