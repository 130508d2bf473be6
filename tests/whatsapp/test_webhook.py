import json
import logging

import httpx

from tests.whatsapp.conftest import GENERAL, TRANSPORT, Live, all_fixture_bodies
from whatsapp.signature import sign
from whatsapp.store_models import ChannelEvent, InboxState
from whatsapp.webhook_bodies import message_body, signed


def test_verification_answers_the_challenge(live: Live) -> None:
    token = live.settings.secret("whatsapp_verify_token")
    params = {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "12345"}
    answer = httpx.get(live.url + "/webhook", params=params)
    assert answer.status_code == 200
    assert answer.text == "12345"

    params["hub.verify_token"] = "wrong"
    assert httpx.get(live.url + "/webhook", params=params).status_code == 403


def test_signature_rules(live: Live) -> None:
    _, body = message_body(phone_number_id=GENERAL, display_phone_number="+91",
                           citizen="919800000001", name="A",
                           content={"type": "text", "text": {"body": "hi"}})
    raw, headers = signed(body, live.secret)

    missing = {"Content-Type": "application/json"}
    assert live.post_raw(raw, missing).status_code == 401
    assert live.post_raw(raw + b" ", headers).status_code == 403
    not_json = b"not json"
    assert live.post_raw(not_json, {"X-Hub-Signature-256": sign(not_json, live.secret)}
                         ).status_code == 400
    assert live.post_raw(raw, headers).status_code == 200


def test_every_recorded_body_is_accepted(live: Live) -> None:
    for case, body in all_fixture_bodies():
        assert live.post(body).status_code == 200, case
    live.wait_for(live.settled)
    assert live.inbox(), "messages were stored"
    # Unknown kinds and changes were stored and ignored on purpose, never an error.
    from sqlmodel import Session, select

    with Session(live.engine) as session:
        assert session.exec(select(ChannelEvent)).all()


def test_duplicate_delivery_is_answered_once(live: Live) -> None:
    citizen = "919800000002"
    _, body = message_body(phone_number_id=GENERAL, display_phone_number="+91",
                           citizen=citizen, name="A",
                           content={"type": "text", "text": {"body": "hello"}},
                           message_id="wamid.duplicate-1")
    for _ in range(3):
        assert live.post(body).status_code == 200
    live.wait_for(lambda: live.sent_to(citizen))
    live.wait_for(live.settled)
    assert len(live.sent_to(citizen)) == 1
    assert len([m for m in live.handler.seen if m.citizen_id == citizen]) == 1


def test_burst_of_five_is_handled_in_order(live: Live) -> None:
    citizen = "919800000003"
    live.handler.delay = 0.05
    ids = [live.say(citizen, f"message {n}", timestamp=1_700_000_000 + n) for n in range(5)]
    live.wait_for(lambda: len(live.sent_to(citizen)) == 5)
    seen = [m.message_id for m in live.handler.seen if m.citizen_id == citizen]
    assert seen == ids
    texts = [item.request["text"]["body"] for item in live.sent_to(citizen)]
    assert texts == [f"echo: message {n}" for n in range(5)]


def test_department_number_routes_and_replies_from_it(live: Live) -> None:
    citizen = "919800000004"
    live.say(citizen, "Hi", number=TRANSPORT)
    sent = live.wait_for(lambda: live.sent_to(citizen))
    assert sent[0].phone_number_id == TRANSPORT
    rows = sent[0].request["interactive"]["action"]["sections"][0]["rows"]
    assert rows[0]["id"] == "learner_licence"
    assert live.handler.seen[-1].department == "transport"


def test_choice_and_numbered_fallback(live: Live) -> None:
    citizen = "919800000005"
    live.say(citizen, "many")
    first = live.wait_for(lambda: live.sent_to(citizen))
    assert first[0].request["type"] == "text"
    assert "5. Option 4" in first[0].request["text"]["body"]
    live.say(citizen, "2")
    live.wait_for(lambda: len(live.sent_to(citizen)) >= 2)
    choice = live.handler.seen[-1]
    assert choice.kind == "choice" and choice.choice_id == "b1"


def test_statuses_move_forward_only(live: Live) -> None:
    citizen = "919800000006"
    live.say(citizen, "hello")
    live.wait_for(lambda: [r for r in live.outbox() if r.citizen_key == citizen
                           and r.state in ("delivered", "read")])
    row = next(r for r in live.outbox() if r.citizen_key == citizen)
    from whatsapp.webhook_bodies import status_body

    # The fake already sent `sent` and `delivered`; a late `sent` must not move it back.
    live.post(status_body(phone_number_id=GENERAL, wamid=row.wamid or "", status="read",
                          recipient=citizen))
    live.post(status_body(phone_number_id=GENERAL, wamid=row.wamid or "", status="sent",
                          recipient=citizen))
    live.wait_for(lambda: next(r for r in live.outbox() if r.id == row.id).state == "read")


def test_handler_failure_gets_an_apology_not_a_loop(live: Live) -> None:
    citizen = "919800000007"
    live.app.state.channel.worker._retry_wait = 0.01
    live.say(citizen, "boom")
    sent = live.wait_for(lambda: live.sent_to(citizen))
    assert "Sorry" in sent[0].request["text"]["body"]
    row = next(r for r in live.inbox() if r.citizen_key == citizen)
    assert row.state == InboxState.FAILED


def test_no_phone_number_or_text_in_info_logs(live: Live, caplog) -> None:
    citizen = "919812345678"
    secret_text = "my secret address 42"
    with caplog.at_level(logging.INFO):
        for _case, body in all_fixture_bodies():
            live.post(body)
        live.say(citizen, secret_text)
        live.wait_for(lambda: live.sent_to(citizen))
        live.wait_for(live.settled)
    text = "\n".join(record.getMessage() for record in caplog.records
                     if record.levelno >= logging.INFO)
    assert "message" in text and "handled" in text  # INFO does log what happened
    for forbidden in (citizen, secret_text, "972987654321", "Body Text", "Test Name"):
        assert forbidden not in text


def test_citizen_known_only_by_user_id(live: Live) -> None:
    body = json.loads(json.dumps(all_fixture_bodies()[0][1]))
    for path_case, candidate in all_fixture_bodies():
        if path_case == "callback_button/quick_reply_without_context":
            body = json.loads(json.dumps(candidate))
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    del message["from"]
    message["id"] = "wamid.user-only"
    assert live.post(body).status_code == 200
    sent = live.wait_for(lambda: live.sent_to("US.13491208655302741918"))
    assert sent[0].request["recipient"] == "US.13491208655302741918"
