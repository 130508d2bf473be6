"""The receipt of a captured payment as a bilingual PDF, kept under `data_dir/receipts`."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from tools.catalog import Catalog
from tools.clock import INDIA
from tools.db.models import Application, Citizen, Payment, Property, Receipt
from tools.payments.references import payment_reference
from tools.receipts import pdf_kit
from tools.receipts.words import figures, rupees_in_hindi, rupees_in_words
from tools.verification import verification_url

logger = logging.getLogger(__name__)

MODES = {
    "upi": ("UPI", "यूपीआई"),
    "card": ("Debit/credit card", "डेबिट/क्रेडिट कार्ड"),
    "netbanking": ("Net banking", "नेट बैंकिंग"),
    "whatsapp_pay": ("WhatsApp Pay", "व्हाट्सऐप पे"),
    "wallet": ("Wallet", "वॉलेट"),
}


@dataclass(frozen=True)
class ReceiptLine:
    """One amount on the receipt, booked to a head of account."""

    label_en: str
    label_hi: str
    head_of_account: str
    amount_paise: int
    financial_year: str | None = None
    rebate_paise: int = 0


@dataclass(frozen=True)
class ReceiptData:
    """Everything printed on a receipt, read from the database once."""

    number: str
    payment_reference: str
    gateway_reference: str
    citizen_name: str
    department_en: str
    department_hi: str
    subject_en: str
    subject_hi: str
    subject_value: str
    financial_year: str
    mode: str
    paid_at: datetime
    total_paise: int
    lines: list[ReceiptLine] = field(default_factory=list)


def receipt_data(session: Session, catalog: Catalog, receipt: Receipt) -> ReceiptData:
    """Gather what a receipt shows from its payment, citizen, application or property."""
    payment = session.get(Payment, receipt.payment_id)
    if payment is None:
        raise LookupError(f"receipt {receipt.number} names payment {receipt.payment_id}: missing")
    citizen = session.get(Citizen, payment.citizen_id)
    department = catalog.departments.get(payment.department)
    lines = [
        ReceiptLine(
            label_en=line.get("label", {}).get("en", line["head"]),
            label_hi=line.get("label", {}).get("hi", ""),
            head_of_account=line.get("head_of_account", line["head"]),
            amount_paise=int(line["amount_paise"]),
            financial_year=line.get("financial_year"),
            rebate_paise=int(line.get("rebate_paise") or 0),
        )
        for line in payment.lines
    ]
    years = sorted({line.financial_year for line in lines if line.financial_year})
    paid_at = (payment.captured_at or receipt.issued_at).astimezone(INDIA)

    subject = ("Application number", "आवेदन संख्या", "—")
    if payment.application_id is not None:
        application = session.get(Application, payment.application_id)
        service = catalog.services.get(application.service_id) if application else None
        label = f" ({service.name.en})" if service else ""
        subject = ("Application number", "आवेदन संख्या",
                   f"{application.number if application else '—'}{label}")
    elif payment.property_id is not None:
        prop = session.get(Property, payment.property_id)
        subject = ("UPIC (property id)", "यूपीआईसी (संपत्ति आईडी)", prop.upic if prop else "—")

    return ReceiptData(
        number=receipt.number,
        payment_reference=payment_reference(payment.id or 0),
        gateway_reference=payment.gateway_payment_id or "—",
        citizen_name=(citizen.display_name if citizen else None) or "—",
        department_en=department.name.en if department else payment.department,
        department_hi=department.name.hi if department else payment.department,
        subject_en=subject[0],
        subject_hi=subject[1],
        subject_value=subject[2],
        financial_year=", ".join(years) or _financial_year(paid_at),
        mode=payment.mode or "",
        paid_at=paid_at,
        total_paise=payment.amount_paise,
        lines=lines,
    )


def _financial_year(at: datetime) -> str:
    start = at.year if at.month >= 4 else at.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def render_receipt(data: ReceiptData, verify_url: str, path: Path) -> Path:
    """Draw the receipt as a one-page PDF at `path`."""
    pdf = pdf_kit.new_pdf(f"Receipt {data.number}")
    pdf_kit.heading(pdf, "Government of NCT of Delhi", "राष्ट्रीय राजधानी क्षेत्र दिल्ली सरकार")
    pdf_kit.heading(pdf, data.department_en, data.department_hi, size=12)
    pdf_kit.band(pdf, "Payment receipt", "भुगतान रसीद")
    pdf_kit.qr_code(pdf, verify_url, x=pdf.w - pdf.r_margin - 32, y=pdf.get_y(), size=32,
                    caption="सत्यापन के लिए स्कैन करें\nScan to verify")
    pdf.set_y(pdf.get_y() - 39)

    english_mode, hindi_mode = MODES.get(data.mode, (data.mode or "—", data.mode or "—"))
    width = pdf.w - pdf.l_margin - pdf.r_margin - 40
    pdf.set_right_margin(pdf.r_margin + 40)
    for english, hindi, value in (
        ("Receipt number", "रसीद संख्या", data.number),
        ("Gateway reference", "गेटवे संदर्भ", data.gateway_reference),
        ("Our reference", "हमारा संदर्भ", data.payment_reference),
        ("Paid by", "भुगतानकर्ता", data.citizen_name),
        (data.subject_en, data.subject_hi, data.subject_value),
        ("Financial year", "वित्तीय वर्ष", data.financial_year),
        ("Mode of payment", "भुगतान का माध्यम", f"{hindi_mode} / {english_mode}"),
        ("Date and time", "दिनांक और समय", data.paid_at.strftime("%d-%m-%Y %H:%M IST")),
    ):
        pdf_kit.row(pdf, english, hindi, value, label_width=min(70, width / 2))
    pdf.set_right_margin(15)
    pdf_kit.rule(pdf)
    _lines_table(pdf, data)
    pdf_kit.footer_note(
        pdf,
        "Computer-generated receipt; no signature needed. Scan the QR code to check it.",
        "यह कंप्यूटर द्वारा बनाई गई रसीद है, इस पर हस्ताक्षर की आवश्यकता नहीं है। "
        "जाँचने के लिए QR कोड स्कैन करें।",
        link=verify_url,
    )
    pdf_kit.save(pdf, path)
    logger.info("receipt %s drawn", data.number)
    return path


def _lines_table(pdf: pdf_kit.FPDF, data: ReceiptData) -> None:
    widths = (85, 60, 35)
    pdf.set_fill_color(*pdf_kit.BAND)
    pdf.set_font(pdf_kit.LATIN, "B", 9)
    for width, title in zip(widths, ("विवरण / Description", "लेखा शीर्ष / Head of account",
                                     "राशि / Amount"), strict=True):
        pdf.cell(width, 8, title, border=1, fill=True, align="C")
    pdf.ln(8)
    pdf.set_font(pdf_kit.LATIN, "", 9)
    for line in data.lines:
        label = f"{line.label_hi} / {line.label_en}"
        if line.financial_year:
            label += f" (FY {line.financial_year})"
        pdf.cell(widths[0], 7, label, border=1)
        pdf.cell(widths[1], 7, line.head_of_account, border=1)
        pdf.cell(widths[2], 7, figures(line.amount_paise), border=1, align="R")
        pdf.ln(7)
        if line.rebate_paise:
            note = f"छूट शामिल / includes rebate of {figures(line.rebate_paise)}"
            pdf.set_font(pdf_kit.LATIN, "", 8)
            pdf.cell(sum(widths), 6, note, border=1)
            pdf.ln(6)
            pdf.set_font(pdf_kit.LATIN, "", 9)
    pdf.set_font(pdf_kit.LATIN, "B", 10)
    pdf.cell(widths[0] + widths[1], 8, "कुल / Total", border=1, align="R")
    pdf.cell(widths[2], 8, figures(data.total_paise), border=1, align="R")
    pdf.ln(10)
    pdf.set_font(pdf_kit.LATIN, "", 9)
    for words in (f"शब्दों में: {rupees_in_hindi(data.total_paise)}",
                  f"In words: {rupees_in_words(data.total_paise)}"):
        pdf.multi_cell(0, 5, words, new_x=pdf_kit.XPos.LMARGIN, new_y=pdf_kit.YPos.NEXT)


def receipt_path(data_dir: Path, number: str) -> Path:
    """Where the PDF of a receipt lives."""
    return data_dir / "receipts" / f"{number}.pdf"


def issue_receipt_pdf(
    session: Session, catalog: Catalog, receipt: Receipt, *, data_dir: Path, base_url: str,
    signing_key: str,
) -> Path:
    """Draw a receipt's PDF, record its path on the receipt row (caller commits), return it."""
    path = receipt_path(data_dir, receipt.number)
    if receipt.pdf_path and Path(receipt.pdf_path).exists():
        return Path(receipt.pdf_path)
    data = receipt_data(session, catalog, receipt)
    render_receipt(data, verification_url(base_url, signing_key, receipt.number), path)
    receipt.pdf_path = str(path)
    session.add(receipt)
    return path
