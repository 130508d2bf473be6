import pytest

from agent.messages import (
    Button,
    ButtonsReply,
    DocumentReply,
    ListReply,
    ListRow,
    ListSection,
    TextReply,
)
from whatsapp.fake_graph import check_message
from whatsapp.render import render, split_text
from whatsapp.templates import TemplateError, TemplateMessage, load_templates


def request(outgoing) -> dict:
    return {"messaging_product": "whatsapp", "to": "919800000000", **outgoing.body}


def test_buttons_within_limits_stay_buttons() -> None:
    reply = ButtonsReply(body="Continue?", buttons=[Button(id="y", title="हाँ / Yes")])
    (out,) = render(reply)
    assert out.kind == "interactive" and not out.menu
    assert check_message(request(out)) is None


@pytest.mark.parametrize(
    "buttons",
    [
        [Button(id=str(n), title=f"Option {n}") for n in range(4)],
        [Button(id="a", title="A title that is far too long")],
    ],
)
def test_buttons_past_limits_become_numbered_text(buttons) -> None:
    (out,) = render(ButtonsReply(body="Pick", buttons=buttons))
    assert out.kind == "text"
    assert [choice["id"] for choice in out.menu] == [b.id for b in buttons]
    assert "1. " in out.body["text"]["body"]
    assert check_message(request(out)) is None


def test_list_limits() -> None:
    rows = [ListRow(id=f"r{n}", title=f"Row {n}", description="d") for n in range(10)]
    (out,) = render(ListReply(body="b", button="Services",
                              sections=[ListSection(title="All", rows=rows)]))
    assert out.kind == "interactive"
    assert check_message(request(out)) is None

    eleven = rows + [ListRow(id="r10", title="Row 10")]
    (out,) = render(ListReply(body="b", button="Services",
                              sections=[ListSection(title="All", rows=eleven)]))
    assert out.kind == "text" and len(out.menu) == 11

    long_row = [ListRow(id="x", title="x" * 25)]
    (out,) = render(ListReply(body="b", button="S",
                              sections=[ListSection(title="All", rows=long_row)]))
    assert out.kind == "text"


def test_long_text_is_split_at_line_breaks() -> None:
    body = "\n".join(f"line {n} " + "x" * 90 for n in range(100))
    parts = split_text(body)
    assert len(parts) == 3 and all(len(part) <= 4096 for part in parts)
    assert "".join(parts).replace("\n", "") == body.replace("\n", "")
    assert len(render(TextReply(body=body))) == 3


def test_document_reply_keeps_file_and_type() -> None:
    (out,) = render(DocumentReply(path="/tmp/r.pdf", filename="r.pdf", caption="Receipt"))
    assert out.kind == "document" and out.media_path == "/tmp/r.pdf"
    assert out.body["document"]["mime_type"] == "application/pdf"


def test_template_registry() -> None:
    registry = load_templates()
    assert len(registry) >= 10
    message = TemplateMessage(name="application_update", language="hi",
                              values={"application_number": "BC-2026-000001", "status": "ok"})
    components = registry.components(message, None)
    assert components["language"] == {"code": "hi"}
    assert components["components"][0]["parameters"][0]["text"] == "BC-2026-000001"

    with pytest.raises(TemplateError):
        registry.check(TemplateMessage(name="application_update", language="hi", values={}))
    with pytest.raises(TemplateError):
        registry.check(TemplateMessage(name="nope", language="en"))
    with pytest.raises(TemplateError):  # a document header needs its file
        registry.check(TemplateMessage(name="receipt_ready", language="en",
                                       values={"receipt_number": "R", "amount": "1"}))
    receipt = TemplateMessage(name="receipt_ready", language="en", header_path="/tmp/r.pdf",
                              header_filename="r.pdf",
                              values={"receipt_number": "R", "amount": "1"})
    header = registry.components(receipt, "123")["components"][0]
    assert header["parameters"][0]["document"] == {"id": "123", "filename": "r.pdf"}
