import shutil
import subprocess
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image, ImageStat
from sqlmodel import Session, select

from tests.tools.factories import make_runtime
from tests.tools.payments.conftest import birth_fee_order
from tools.db.models import Citizen, Receipt
from tools.issuing import IssuingDeps
from tools.notifications import CollectingNotifier
from tools.payments.sandbox_callback import complete_sandbox_payment
from tools.verification import sign, verify


def pdf_text(path: str) -> str:
    document = pypdfium2.PdfDocument(path)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


@pytest.fixture
def paid(tmp_path):
    runtime = make_runtime(tmp_path)
    number, order = birth_fee_order(runtime)
    with Session(runtime.engine) as session:
        citizen = session.exec(select(Citizen)).one()
        citizen.display_name = "रवि कुमार"
        session.add(citizen)
        session.commit()
    deps = IssuingDeps.from_settings(
        runtime.settings, runtime.engine, runtime.clock, runtime.catalog, CollectingNotifier()
    )
    complete_sandbox_payment(runtime.gateway, deps,
                             runtime.settings.secret("sandbox_webhook_secret"),
                             f"sbx_{order.reference}", success=True, mode="upi")
    with Session(runtime.engine) as session:
        receipt = session.exec(select(Receipt)).one()
    return runtime, number, order, receipt


def test_the_receipt_names_everything_a_government_receipt_needs(paid):
    runtime, number, order, receipt = paid
    text = pdf_text(receipt.pdf_path)
    for expected in (
        receipt.number,
        f"sbxpay_{order.reference}_1",  # the gateway's reference
        order.reference,  # ours
        number,
        "Municipal Corporation of Delhi",
        "MCD/0070-BDR/copy-fee",  # head of account
        "MCD/0070-BDR/late-fee",
        "₹5.00",
        "₹10.00",  # the total
        "Rupees Ten Only",
        "2026-27",  # financial year
        "UPI",
        "25-11-2026 10:00 IST",
    ):
        assert expected in text, expected


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_the_receipt_renders_to_a_page_with_ink(paid, tmp_path):
    _, _, _, receipt = paid
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", receipt.pdf_path,
                    str(prefix)], check=True, timeout=30)
    [image_path] = list(tmp_path.glob("page*.png"))
    image = Image.open(image_path).convert("L")
    assert image.width > 400 and image.height > 600
    # A blank page is all white; text, table lines and the QR code make it far from it.
    assert ImageStat.Stat(image).stddev[0] > 20
    dark = sum(1 for value in image.getdata() if value < 128)
    assert dark > 2000


def test_the_receipt_qr_signature_verifies_and_a_changed_number_does_not(paid):
    runtime, _, _, receipt = paid
    key = runtime.settings.secret("signing_key")
    with Session(runtime.engine) as session:
        genuine = verify(session, runtime.catalog, key, receipt.number, sign(key, receipt.number))
        forged_number = receipt.number[:-1] + "9"
        forged = verify(session, runtime.catalog, key, forged_number, sign(key, receipt.number))
        unknown = verify(session, runtime.catalog, key, forged_number, sign(key, forged_number))
    assert genuine.genuine and genuine.holder == "र** क****"
    assert ("Amount", "₹10.00") in genuine.details
    assert (forged.genuine, forged.reason) == (False, "bad_signature")
    assert (unknown.genuine, unknown.reason) == (False, "unknown")


def test_the_receipt_file_survives_under_the_data_folder(paid):
    runtime, _, _, receipt = paid
    path = Path(receipt.pdf_path)
    assert path.parent == runtime.settings.data_dir / "receipts" and path.stat().st_size > 10_000
