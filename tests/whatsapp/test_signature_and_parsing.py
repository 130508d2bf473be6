import json

import pytest

from tests.whatsapp.conftest import FIXTURES, all_fixture_bodies, load_fixture
from whatsapp.events import MessageKind, parse_webhook
from whatsapp.signature import sign, verify


def test_signature_vector_verifies_and_one_byte_changes_it() -> None:
    vector = json.loads((FIXTURES / "signature_vector.json").read_text())
    body = vector["body"].encode()
    secret = vector["app_secret"]
    assert verify(body, vector["x_hub_signature_256"], secret)
    assert sign(body, secret) == vector["x_hub_signature_256"]

    for position in (0, len(body) // 2, len(body) - 1):
        changed = bytearray(body)
        changed[position] ^= 0x01
        assert not verify(bytes(changed), vector["x_hub_signature_256"], secret)
    assert not verify(body, vector["x_hub_signature_256"].removeprefix("sha256="), secret)
    assert not verify(body, vector["x_hub_signature_256"], secret + "x")


@pytest.mark.parametrize(("case", "body"), all_fixture_bodies(), ids=lambda v: str(v)[:40])
def test_every_recorded_body_parses(case: str, body: dict) -> None:
    parsed = parse_webhook(body)
    items = parsed.messages + parsed.statuses + parsed.preferences + parsed.others
    assert items, f"{case} produced nothing"
    for message in parsed.messages:
        assert message.kind is not MessageKind.UNKNOWN, case
        assert message.citizen_key


EXPECTED_KINDS = {
    ("message", "text"): MessageKind.TEXT,
    ("message", "image"): MessageKind.IMAGE,
    ("message", "document"): MessageKind.DOCUMENT,
    ("message", "audio"): MessageKind.AUDIO,
    ("message", "voice"): MessageKind.VOICE,
    ("message", "video"): MessageKind.VIDEO,
    ("message", "static_sticker"): MessageKind.STICKER,
    ("message", "reaction"): MessageKind.REACTION,
    ("message", "current_location"): MessageKind.LOCATION,
    ("message", "contacts"): MessageKind.CONTACTS,
    ("message", "order"): MessageKind.ORDER,
    ("message", "unsupported"): MessageKind.UNSUPPORTED,
    ("message", "interactive_message_with_err"): MessageKind.UNSUPPORTED,
    ("message", "referral"): MessageKind.TEXT,
    ("callback_button", "button"): MessageKind.BUTTON_REPLY,
    ("callback_button", "quick_reply"): MessageKind.QUICK_REPLY,
    ("callback_selection", "description"): MessageKind.LIST_REPLY,
    ("flow_completion", "completion"): MessageKind.FLOW_REPLY,
    ("system", "phone_number_change"): MessageKind.SYSTEM,
    ("system", "identity_change"): MessageKind.SYSTEM,
}


@pytest.mark.parametrize(("where", "kind"), EXPECTED_KINDS.items(), ids=lambda v: str(v))
def test_kinds(where: tuple[str, str], kind: MessageKind) -> None:
    body = load_fixture(f"{where[0]}.json")[where[1]]
    (message,) = parse_webhook(body).messages
    assert message.kind is kind


def test_typed_content() -> None:
    image = parse_webhook(load_fixture("message.json")["image"]).messages[0]
    assert image.media and image.media.id == "65463453"
    assert image.media.mime_type == "image/jpeg"
    assert image.citizen_name == "Test Name"
    assert image.phone_number_id == "1122334455667"

    choice = parse_webhook(load_fixture("callback_selection.json")["description"]).messages[0]
    assert (choice.choice_id, choice.choice_title) == ("callback_data", "title")

    change = parse_webhook(load_fixture("system.json")["phone_number_change"]).messages[0]
    assert change.new_citizen_key == "972912345678"

    failed = parse_webhook(load_fixture("message_status.json")["failed"]).statuses[0]
    assert failed.status == "failed" and failed.error_code == 130472

    stop = parse_webhook(load_fixture("user_marketing_preferences.json")["resume"])
    assert stop.preferences[0].value == "resume"


def test_user_id_identifies_a_citizen_without_phone() -> None:
    body = load_fixture("callback_button.json")["quick_reply_without_context"]
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    del message["from"]
    (parsed,) = parse_webhook(body).messages
    assert parsed.citizen_key == "US.13491208655302741918"


@pytest.mark.parametrize(
    "body",
    [[], "text", {"entry": "nope"}, {"entry": [{"changes": [{"field": "x", "value": {}}]}]},
     {"entry": [{"changes": [{"field": "messages", "value": {"messages": [{"no": "id"}]}}]}]},
     {"entry": [{"changes": [{"field": "account_update", "value": {"event": "X"}}]}]}],
)
def test_strange_bodies_are_kept_not_errors(body: object) -> None:
    parsed = parse_webhook(body)
    assert parsed.others and not parsed.messages
