import io
from pathlib import Path

import pytest
from PIL import Image

from tests.whatsapp.conftest import Live

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")
def test_a_citizen_chats_through_the_simulator(live: Live, tmp_path: Path) -> None:
    photo = tmp_path / "aadhaar.png"
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), "white").save(buffer, format="PNG")
    photo.write_bytes(buffer.getvalue())

    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.goto(live.url + "/")
            page.wait_for_selector("#number option", state="attached")

            # Say hi to the Transport number: its services come first.
            page.select_option("#number", label="Transport Department, GNCTD · +91 11 2322 0003")
            page.fill("#text", "Hi")
            page.press("#text", "Enter")
            page.click(".msg.in button.list-open")
            rows = page.locator(".msg.in .list-rows button.list-row")
            assert rows.first.inner_text().startswith("Learner licence")

            # Choose a service from the list, then answer with a button.
            page.click(".msg.in button.list-row:has-text('Birth certificate')")
            page.click(".msg.in button.reply-button:has-text('Pay now')")
            page.wait_for_selector(".msg.in a[href='http://127.0.0.1/pay/abc']")
            receipt = page.locator(".msg.in a.document")
            receipt.wait_for()
            assert "receipt.pdf" in receipt.inner_text()
            href = receipt.get_attribute("href") or ""
            assert page.request.get(live.url + href).body().startswith(b"%PDF")

            # Type an answer in Hindi, then send a photo.
            page.fill("#text", "मेरा नाम आशा है")
            page.press("#text", "Enter")
            page.wait_for_selector(".msg.in:has-text('echo: मेरा नाम आशा है')")
            page.set_input_files("#file", str(photo))
            page.wait_for_selector(".msg.in:has-text('Got your document #')")
            assert page.locator(".msg.out .tick.ok").count() >= 5

            # Another tab is another citizen, with a chat of its own.
            other = browser.new_page()
            other.goto(live.url + "/")
            other.wait_for_selector("#number option", state="attached")
            other.fill("#text", "namaste")
            other.press("#text", "Enter")
            other.wait_for_selector(".msg.in button.list-open")
            assert other.locator(".msg.in").count() == 1
            assert page.locator("#citizen").inner_text() != other.locator("#citizen").inner_text()
        finally:
            browser.close()
