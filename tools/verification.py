"""Verification of receipts and certificates: a signed link in the QR code, checked on a page.

The QR code of a document holds `{public_base_url}/verify/{number}?s=<signature>`, where the
signature is a truncated HMAC-SHA256 of the document's kind and number under the signing key.
A made-up or altered number has no valid signature, so it fails even if it looks right.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote

from sqlmodel import Session, select

from tools.catalog import Catalog
from tools.clock import INDIA
from tools.db.models import Application, Certificate, Citizen, Payment, Receipt

SIGNATURE_HEX_CHARS = 20  # 80 bits: short enough for a small QR code, far beyond guessing
RECEIPT_PREFIX = "RCPT-"
CERTIFICATE_PREFIX = "CERT-"


def document_kind(number: str) -> str:
    """`receipt` or `certificate`, from the shape of a document number."""
    return "receipt" if number.upper().startswith(RECEIPT_PREFIX) else "certificate"


def sign(signing_key: str, number: str) -> str:
    """The signature of a document number, as carried in its QR code."""
    message = f"{document_kind(number)}:{number.upper()}".encode()
    digest = hmac.new(signing_key.encode(), message, hashlib.sha256).hexdigest()
    return digest[:SIGNATURE_HEX_CHARS]


def signature_valid(signing_key: str, number: str, signature: str | None) -> bool:
    """Whether `signature` is the signature of `number`, compared in constant time."""
    if not signature:
        return False
    return hmac.compare_digest(sign(signing_key, number), signature.strip().lower())


def verification_url(base_url: str, signing_key: str, number: str) -> str:
    """The link a document's QR code holds."""
    signature = sign(signing_key, number)
    return f"{base_url.rstrip('/')}/verify/{quote(number, safe='')}?s={signature}"


@dataclass(frozen=True)
class Verdict:
    """What the verification page says of a number: genuine or not, and what it certifies."""

    number: str
    genuine: bool
    kind: str
    reason: str = ""
    title_en: str = ""
    title_hi: str = ""
    holder: str = ""
    issued_at: datetime | None = None
    details: tuple[tuple[str, str], ...] = ()


def verify(
    session: Session, catalog: Catalog, signing_key: str, number: str, signature: str | None
) -> Verdict:
    """Check a document number and its signature against the records."""
    number = number.strip().upper()
    kind = document_kind(number)
    if not signature_valid(signing_key, number, signature):
        return Verdict(number=number, genuine=False, kind=kind, reason="bad_signature")
    if kind == "receipt":
        return _receipt(session, catalog, number)
    return _certificate(session, catalog, number)


def _receipt(session: Session, catalog: Catalog, number: str) -> Verdict:
    row = session.exec(
        select(Receipt, Payment).join(Payment).where(Receipt.number == number)
    ).first()
    if row is None:
        return Verdict(number=number, genuine=False, kind="receipt", reason="unknown")
    receipt, payment = row
    citizen = session.get(Citizen, payment.citizen_id)
    department = catalog.departments.get(payment.department)
    amount = f"₹{payment.amount_paise // 100:,}.{payment.amount_paise % 100:02d}"
    return Verdict(
        number=number,
        genuine=True,
        kind="receipt",
        title_en="Payment receipt",
        title_hi="भुगतान रसीद",
        holder=mask_name(citizen.display_name if citizen else None),
        issued_at=receipt.issued_at.astimezone(INDIA),
        details=(
            ("Department", department.name.en if department else payment.department),
            ("Amount", amount),
            ("Gateway reference", payment.gateway_payment_id or "—"),
        ),
    )


def _certificate(session: Session, catalog: Catalog, number: str) -> Verdict:
    row = session.exec(
        select(Certificate, Application).join(Application).where(Certificate.number == number)
    ).first()
    if row is None:
        return Verdict(number=number, genuine=False, kind="certificate", reason="unknown")
    certificate, application = row
    citizen = session.get(Citizen, application.citizen_id)
    service = catalog.services.get(application.service_id)
    return Verdict(
        number=number,
        genuine=True,
        kind="certificate",
        title_en=service.name.en if service else application.service_id,
        title_hi=service.name.hi if service else "",
        holder=mask_name(citizen.display_name if citizen else None),
        issued_at=certificate.issued_at.astimezone(INDIA),
        details=(("Application", application.number), ("Status", application.status)),
    )


def mask_name(name: str | None) -> str:
    """A name shown on a public page with only the first letter of each word: `R*** K****`."""
    if not name:
        return "—"
    return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())
