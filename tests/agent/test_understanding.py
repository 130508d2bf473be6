from datetime import date

import pytest

from agent import entities
from agent.intents import Intent, classify
from agent.language import detect_language, requested_language
from agent.limits import MAX_BODY, fit
from agent.messages import Button, ButtonsReply, ListReply, ListRow, ListSection, TextReply
from tests.tools.factories import CATALOG_DIR
from tools.catalog import load_catalog

TODAY = date(2026, 11, 25)
CATALOG = load_catalog(CATALOG_DIR)


@pytest.mark.parametrize("text, expected", [
    ("2024-03-05", date(2024, 3, 5)),
    ("05/03/2024", date(2024, 3, 5)),
    ("5-3-2024", date(2024, 3, 5)),
    ("05.03.24", date(2024, 3, 5)),
    ("5 march 2024", date(2024, 3, 5)),
    ("March 5th, 2024", date(2024, 3, 5)),
    ("5 mar", date(2026, 3, 5)),
    ("20 november", date(2026, 11, 20)),
    ("30 november", date(2025, 11, 30)),  # no year: the latest one that has passed
    ("पांच मार्च 2024", date(2024, 3, 5)),
    ("०५ मार्च २०२४", date(2024, 3, 5)),
    ("५/३/२०२४", date(2024, 3, 5)),
    ("paanch march", date(2026, 3, 5)),
    ("kal hua tha", date(2026, 11, 24)),
    ("parson", date(2026, 11, 23)),
    ("कल", date(2026, 11, 24)),
    ("aaj", TODAY),
])
def test_dates_in_many_forms(text, expected):
    assert entities.dates(text, TODAY)[0] == expected


def test_impossible_dates_are_not_dates():
    assert entities.dates("31/02/2024", TODAY) == []


def test_application_numbers_upics_numbers():
    codes = {"BC", "CC", "MC", "LL"}
    assert entities.application_numbers("bc 2026 7 ka status?", codes) == ["BC-2026-000007"]
    assert entities.application_numbers("XY-2026-000001", codes) == []
    assert entities.upics("mera upic dl0123456789ab1 hai") == ["DL0123456789AB1"]
    assert entities.integers("तीन") == [3] and entities.integers("२") == [2]


@pytest.mark.parametrize("text, language", [
    ("mujhe birth certificate chahiye", "hi-Latn"),
    ("मुझे जन्म प्रमाण पत्र चाहिए", "hi"),
    ("I need a birth certificate for my son", "en"),
    ("kya fees lagegi", "hi-Latn"),
])
def test_language_detection(text, language):
    assert detect_language(text).language == language


def test_short_neutral_messages_keep_the_language():
    assert not detect_language("Ravi Kumar").confident
    assert not detect_language("12/05/2000").confident


def test_language_requests():
    assert requested_language("English please") == "en"
    assert requested_language("hindi mein baat karo") == "hi"
    assert requested_language("हिंदी में") == "hi"
    assert requested_language("I need an english medium school certificate for my son") is None


@pytest.mark.parametrize("text, intent, service", [
    ("mere bete ka janam praman patra chaiye", Intent.SERVICE, "birth_certificate"),
    ("I want to register my marriage", Intent.SERVICE, "marriage_certificate"),
    ("जाति प्रमाण पत्र बनवाना है", Intent.SERVICE, "caste_certificate"),
    ("learning licence chahiye bike ka", Intent.SERVICE, "learner_licence"),
    ("house tax bharna hai", Intent.PROPERTY_TAX, "property_tax"),
    ("birth certificate ke liye kaun se documents chahiye?", Intent.QUESTION, "birth_certificate"),
    ("mera application kahan tak pahuncha", Intent.STATUS, None),
    ("agent se baat karni hai", Intent.HUMAN, None),
    ("namaste", Intent.GREET, None),
])
def test_intents(text, intent, service):
    found = classify(text, CATALOG, awaiting_field=False, awaiting_confirmation=False,
                     awaiting_upic=False)
    assert found.intent is intent
    if service:
        assert found.service_id == service


def test_an_answer_is_not_mistaken_for_a_new_service():
    found = classify("ghar par hua", CATALOG, awaiting_field=True, awaiting_confirmation=False,
                     awaiting_upic=False)
    assert found.intent is Intent.ANSWER


def test_yes_and_no_only_count_when_asked():
    asked = dict(awaiting_field=False, awaiting_confirmation=True, awaiting_upic=False)
    assert classify("haan ji", CATALOG, **asked).intent is Intent.YES
    assert classify("नहीं", CATALOG, **asked).intent is Intent.NO


def test_replies_within_whatsapp_limits_stay_as_they_are():
    reply = ButtonsReply(body="Pay?", buttons=[Button(id="yes", title="Yes")])
    assert fit(reply) == [reply]


def test_too_many_buttons_fall_back_to_numbered_text():
    buttons = [Button(id=str(i), title=f"Option {i}") for i in range(4)]
    [fallback] = fit(ButtonsReply(body="Choose", buttons=buttons))
    assert isinstance(fallback, TextReply)
    assert "1. Option 0" in fallback.body and "4. Option 3" in fallback.body


def test_long_list_titles_fall_back_and_long_text_is_split():
    rows = [ListRow(id="a", title="A title that is far longer than twenty-four")]
    [fallback] = fit(ListReply(body="Pick", button="Open", sections=[ListSection(title="S",
                                                                               rows=rows)]))
    assert isinstance(fallback, TextReply)
    parts = fit(TextReply(body="line\n" * 2000))
    assert len(parts) == 3 and all(len(p.body) <= MAX_BODY for p in parts)


def test_amounts():
    assert entities.amounts("maine ₹4,320 bhare") == [4320]
    assert entities.amounts("500 rupaye pay karna hai") == [500]
    assert entities.amounts("Rs. 150 fees") == [150]
    assert entities.amounts("पांच सौ") == [] and entities.amounts("2 copies") == []
