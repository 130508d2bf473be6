"""The certificate of an approved application: a numbered row and a bilingual PDF with a QR.

What it certifies comes from the catalog: the service's names for the title and each field's
labels for the particulars, so a new certificate service needs no code. A learner's licence
also shows how long it is valid.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from tools.catalog import Catalog
from tools.catalog.schema import FieldSpec, FieldType, Service
from tools.clock import INDIA, Clock
from tools.db.models import Application, ApplicationField, Certificate, require_id
from tools.db.sequences import certificate_number
from tools.receipts import pdf_kit
from tools.verification import verification_url

logger = logging.getLogger(__name__)

# Fields that say how the application was made, not what the certificate states.
NOT_CERTIFIED = frozenset({"copies", "informant_relation"})
LEARNER_LICENCE_VALID_DAYS = 180  # Central Motor Vehicles Rules, rule 3: six months


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on a certificate."""

    number: str
    application_number: str
    title_en: str
    title_hi: str
    department_en: str
    department_hi: str
    issued_at: datetime
    officer: str
    particulars: list[tuple[str, str, str]]  # (English label, Hindi label, value)
    valid_until: date | None = None


def display_value(spec: FieldSpec, value: Any) -> str:
    """A field value as printed: option labels in both languages, dates day-first."""
    if value is None or value == "" or value == []:
        return "—"
    if spec.type is FieldType.CHOICE:
        return _option(spec, str(value))
    if spec.type is FieldType.CHOICES:
        return ", ".join(_option(spec, str(item)) for item in value)
    if spec.type is FieldType.DATE:
        return date.fromisoformat(str(value)).strftime("%d-%m-%Y")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def _option(spec: FieldSpec, value: str) -> str:
    for option in spec.options:
        if option.value == value:
            return f"{option.label.hi} / {option.label.en}"
    return value


def certificate_data(
    session: Session, catalog: Catalog, application: Application, certificate: Certificate
) -> CertificateData:
    """Gather what the certificate of an application shows."""
    service = catalog.service(application.service_id)
    department = catalog.departments.get(service.department)
    values = {
        row.name: row.value
        for row in session.exec(
            select(ApplicationField).where(ApplicationField.application_id == application.id)
        ).all()
    }
    particulars = [
        (spec.label.en, spec.label.hi, display_value(spec, values.get(spec.name)))
        for spec in service.fields
        if spec.name not in NOT_CERTIFIED and values.get(spec.name) not in (None, "", [])
    ]
    issued = certificate.issued_at.astimezone(INDIA)
    valid_until = None
    if service.id == "learner_licence":
        valid_until = issued.date() + timedelta(days=LEARNER_LICENCE_VALID_DAYS)
    return CertificateData(
        number=certificate.number,
        application_number=application.number,
        title_en=service.name.en,
        title_hi=service.name.hi,
        department_en=department.name.en if department else service.department,
        department_hi=department.name.hi if department else service.department,
        issued_at=issued,
        officer=certificate.officer,
        particulars=particulars,
        valid_until=valid_until,
    )


def render_certificate(data: CertificateData, verify_url: str, path: Path) -> Path:
    """Draw a certificate as a one-page PDF at `path`."""
    pdf = pdf_kit.new_pdf(f"{data.title_en} {data.number}")
    pdf_kit.heading(pdf, "Government of NCT of Delhi", "राष्ट्रीय राजधानी क्षेत्र दिल्ली सरकार")
    pdf_kit.heading(pdf, data.department_en, data.department_hi, size=12)
    pdf_kit.band(pdf, data.title_en, data.title_hi)
    pdf.set_font(pdf_kit.LATIN, "", 10)
    for line in (
        "प्रमाणित किया जाता है कि नीचे दिए गए विवरण विभाग के अभिलेखों के अनुसार हैं।",
        "This is to certify that the particulars below are as recorded by the department.",
    ):
        pdf.multi_cell(0, 5.5, line, new_x=pdf_kit.XPos.LMARGIN, new_y=pdf_kit.YPos.NEXT)
    pdf.ln(2)

    top = pdf.get_y()
    pdf_kit.qr_code(pdf, verify_url, x=pdf.w - pdf.r_margin - 32, y=top, size=32,
                    caption="सत्यापन के लिए स्कैन करें\nScan to verify")
    pdf.set_y(top)
    pdf.set_right_margin(pdf.r_margin + 40)
    rows = [
        ("Certificate number", "प्रमाण पत्र संख्या", data.number),
        ("Application number", "आवेदन संख्या", data.application_number),
        *data.particulars,
        ("Date of issue", "जारी करने की तिथि", data.issued_at.strftime("%d-%m-%Y")),
    ]
    if data.valid_until is not None:
        rows.append(("Valid up to", "वैध तिथि तक", data.valid_until.strftime("%d-%m-%Y")))
    rows.append(("Issued by", "जारीकर्ता अधिकारी", data.officer))
    for english, hindi, value in rows:
        pdf_kit.row(pdf, english, hindi, value)
    pdf.set_right_margin(15)
    pdf_kit.rule(pdf)
    pdf_kit.footer_note(
        pdf,
        "Digitally issued certificate; no signature needed. Scan the QR code to verify it.",
        "यह डिजिटल रूप से जारी प्रमाण पत्र है, इस पर हस्ताक्षर की आवश्यकता नहीं है। "
        "सत्यापन के लिए QR कोड स्कैन करें।",
        link=verify_url,
    )
    pdf_kit.save(pdf, path)
    logger.info("certificate %s drawn", data.number)
    return path


def certificate_path(data_dir: Path, number: str) -> Path:
    """Where the PDF of a certificate lives."""
    return data_dir / "certificates" / f"{number}.pdf"


def issue_certificate(
    session: Session,
    clock: Clock,
    catalog: Catalog,
    application: Application,
    *,
    officer: str,
    data_dir: Path,
    base_url: str,
    signing_key: str,
) -> Certificate:
    """Number and draw the certificate of an approved application (caller commits).

    An application has one certificate: asking again returns the one already issued.
    """
    existing = session.exec(
        select(Certificate).where(Certificate.application_id == application.id)
    ).first()
    if existing is not None:
        return existing
    now = clock.now()
    certificate = Certificate(
        number=certificate_number(session, now.astimezone(INDIA).year),
        application_id=require_id(application),
        issued_at=now,
        officer=officer,
    )
    data = certificate_data(session, catalog, application, certificate)
    path = certificate_path(data_dir, certificate.number)
    render_certificate(data, verification_url(base_url, signing_key, certificate.number), path)
    certificate.pdf_path = str(path)
    session.add(certificate)
    session.flush()
    return certificate


def is_certificate_service(service: Service) -> bool:
    """Whether approving this service issues a certificate."""
    return service.certificate
