import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from knowledge.base import KnowledgeBase
from knowledge.editor_web import create_editor_router
from tests.knowledge.conftest import BIRTH_EN, TAX_HI
from tools.settings import Settings

TOKEN = "editor-secret-for-tests"


def _doc(doc_id: str, body: str, service: str = "birth_certificate", language: str = "en") -> bytes:
    return (
        f"---\nid: {doc_id}\ntitle: Doc {doc_id}\nservice: {service}\nlanguage: {language}\n"
        f"source_url: https://example.gov.in/{doc_id}\neffective_date: 2025-04-01\n---\n{body}"
    ).encode()


@pytest.fixture
def app(kb: KnowledgeBase, settings: Settings) -> FastAPI:
    editor_settings = settings.model_copy(update={"editor_token": SecretStr(TOKEN)})
    application = FastAPI()
    application.include_router(create_editor_router(editor_settings, lambda: kb))
    return application


def test_pages_need_the_token(app: FastAPI) -> None:
    client = TestClient(app)
    assert client.get("/editor/", follow_redirects=False).headers["location"] == "/editor/login"
    wrong = client.post("/editor/login", data={"token": "nope"}, follow_redirects=False)
    assert wrong.headers["location"] == "/editor/login?failed=true"
    assert client.get("/editor/api/documents").status_code == 401
    assert client.get("/editor/api/documents", headers={"X-Editor-Token": "x"}).status_code == 401


def test_upload_list_search_remove_through_the_forms(app: FastAPI) -> None:
    client = TestClient(app)
    assert client.post("/editor/login", data={"token": TOKEN}).status_code == 200

    page = client.post("/editor/documents", files={"file": ("bc.md", _doc("bc-en", BIRTH_EN))})
    assert "bc-en: added (2 chunks)" in page.text
    assert 'data-id="bc-en"' in page.text

    failed = client.post("/editor/documents", files={"file": ("x.docx", b"PK")})
    assert "unsupported file type .docx" in failed.text

    results = client.get("/editor/", params={"q": "late fee for birth after a year"})
    assert "Birth certificate › Late fees" in results.text

    removed = client.post("/editor/documents/bc-en/delete")
    assert "bc-en: removed" in removed.text and 'data-id="bc-en"' not in removed.text


def test_json_endpoints_with_the_header(app: FastAPI) -> None:
    client = TestClient(app, headers={"X-Editor-Token": TOKEN})
    outcome = client.post(
        "/editor/api/documents",
        files={"file": ("pt.md", _doc("pt-hi", TAX_HI, "property_tax", "hi"))},
    ).json()
    assert outcome["status"] == "added"
    assert client.get("/editor/api/documents").json()[0]["chunk_count"] == 2
    found = client.get("/editor/api/search", params={"q": "property tax rebate deadline"}).json()
    assert found["found"] and found["hits"][0]["citation"]["doc_id"] == "pt-hi"
    assert client.delete("/editor/api/documents/pt-hi").json() == {"removed": True}


@pytest.fixture
def served(app: FastAPI) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.mark.browser
def test_editor_page_in_a_real_browser(served: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    upload = tmp_path / "bc-en.md"
    upload.write_bytes(_doc("bc-en", BIRTH_EN))

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        page = browser.new_page()
        page.on("dialog", lambda dialog: dialog.accept())

        # Sign in.
        page.goto(f"{served}/editor/")
        assert page.url.endswith("/editor/login")
        page.fill("#token", TOKEN)
        page.click("button[type=submit]")
        page.wait_for_selector("#documents")

        # Upload; the list shows the document with its chunk count and date.
        page.set_input_files("#file", str(upload))
        page.click("#upload button[type=submit]")
        page.wait_for_selector("#notice")
        assert "bc-en: added" in page.inner_text("#notice")
        row = page.locator('tr[data-id="bc-en"]')
        assert row.locator(".chunks").inner_text() == "2"
        assert "2025-04-01" in row.inner_text()

        # Try a query, in Hindi.
        page.fill("#search input[name=q]", "जन्म का पंजीकरण कितने दिन में")
        page.click("#search button")
        page.wait_for_selector("#results")
        assert "The 21-day rule" in page.inner_text("#results")

        # Remove it.
        page.click('button[aria-label="Remove bc-en"]')
        page.wait_for_selector("#notice")
        assert "bc-en: removed" in page.inner_text("#notice")
        assert page.locator('tr[data-id="bc-en"]').count() == 0
        browser.close()
