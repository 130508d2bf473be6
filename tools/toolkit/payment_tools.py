"""Tools for what a citizen owes and pays: property tax dues, payment orders, receipts."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, model_validator
from sqlmodel import col, select

from tools import audit
from tools.catalog.schema import LocalText
from tools.db.models import Payment, PaymentStatus, Property, PropertyYearPaid, Receipt
from tools.fees import compute_fees
from tools.money import rupees as round_rupees
from tools.payments.references import payment_reference
from tools.payments.upi import upi_link
from tools.property_tax import (
    PropertyFacts,
    YearTax,
    current_tariff,
    dues,
    financial_year_of,
)
from tools.toolkit.context import ToolContext
from tools.toolkit.errors import ToolRefused, ToolRetry
from tools.toolkit.lookups import field_values, own_application, own_property
from tools.toolkit.registry import WriteArgs, tool
from tools.values import FieldValueError, canonical_financial_year

PROPERTY_TAX_LABEL = LocalText(hi="संपत्ति कर", en="Property tax", hi_latn="Property tax")


class TaxDueArgs(BaseModel):
    """Arguments of get_property_tax_due."""

    upic: str = Field(description="The 15-character Unique Property Identification Code.")


class YearDue(BaseModel):
    """Tax due for one financial year."""

    financial_year: str
    tax_rupees: int
    rebate_rupees: int
    due_rupees: int


class TaxDueResult(BaseModel):
    """Unpaid property tax of one property, today."""

    upic: str
    address: str
    years: list[YearDue]
    total_rupees: int
    rebate_until: str | None = Field(description="Last day for the current year's rebate.")
    paid_years: list[str]


@tool(TaxDueArgs, TaxDueResult)
def get_property_tax_due(ctx: ToolContext, args: TaxDueArgs) -> TaxDueResult:
    """Compute the property tax the citizen owes today on their property, year by year."""
    prop = own_property(ctx, args.upic)
    years, paid = _tax_dues(ctx, prop)
    current = financial_year_of(ctx.today())
    rebate_until = None
    if any(y.financial_year == current and y.rebate_paise for y in years):
        rebate_until = f"{current[:4]}-06-30"
    return TaxDueResult(
        upic=prop.upic,
        address=prop.address,
        years=[
            YearDue(
                financial_year=y.financial_year,
                tax_rupees=round_rupees(y.base_paise),
                rebate_rupees=round_rupees(y.rebate_paise),
                due_rupees=round_rupees(y.total_paise),
            )
            for y in years
        ],
        total_rupees=round_rupees(sum(y.total_paise for y in years)),
        rebate_until=rebate_until,
        paid_years=sorted(paid),
    )


def _tax_dues(ctx: ToolContext, prop: Property) -> tuple[list[YearTax], set[str]]:
    paid = set(
        ctx.session.exec(
            select(PropertyYearPaid.financial_year).where(PropertyYearPaid.property_id == prop.id)
        ).all()
    )
    facts = PropertyFacts(
        category=prop.category,
        covered_area_sqm=prop.covered_area_sqm,
        construction_year=prop.construction_year,
        use=prop.use,
        structure=prop.structure,
        occupancy=prop.occupancy,
    )
    today = ctx.today()
    years = dues(
        facts,
        paid_years=paid,
        current_fy=financial_year_of(today),
        on=today,
        tariff=current_tariff(ctx.tariff_path),
        first_fy=prop.first_financial_year,
    )
    return years, paid


class CreatePaymentArgs(WriteArgs):
    """Arguments of create_payment: an application number, or a UPIC for property tax."""

    application_number: str | None = Field(default=None, description="Like BC-2026-000001.")
    upic: str | None = Field(default=None, description="For property tax: the property's UPIC.")
    financial_year: str | None = Field(
        default=None, description="For property tax: pay only up to this year, like 2026-27."
    )

    @model_validator(mode="after")
    def _one_target(self) -> CreatePaymentArgs:
        if bool(self.application_number) == bool(self.upic):
            raise ValueError("give exactly one of application_number or upic")
        return self


class PaymentLineOut(BaseModel):
    """One line of the payment."""

    head: str
    label: LocalText
    amount_rupees: int
    financial_year: str | None = None


class PaymentOrder(BaseModel):
    """An open payment: where to pay and how much. The amount comes from the rules, not chat."""

    payment_id: int
    reference: str
    amount_rupees: int
    lines: list[PaymentLineOut]
    pay_url: str
    upi_link: str
    status: str
    reused: bool = Field(description="True when an open order for the same dues was reused.")


@tool(CreatePaymentArgs, PaymentOrder, writes=True, confirm=True)
def create_payment(ctx: ToolContext, args: CreatePaymentArgs) -> PaymentOrder:
    """Open a payment for the fee of an application or the property tax due. Confirm first."""
    if args.application_number:
        dues_key, lines, department, application_id, property_id = _application_dues(ctx, args)
        year = None
    else:
        dues_key, lines, department, application_id, property_id, year = _property_dues(ctx, args)
    amount = sum(line["amount_paise"] for line in lines)

    # A second attempt for the same dues reuses the open order, if the amount still holds.
    open_payment = ctx.session.exec(
        select(Payment).where(Payment.open_dues_key == dues_key)
    ).first()
    if open_payment is not None and open_payment.amount_paise == amount:
        return _order(ctx, open_payment, reused=True)
    if open_payment is not None:
        open_payment.status = PaymentStatus.FAILED
        open_payment.failure_reason = "superseded: the amount due changed"
        open_payment.open_dues_key = None
        ctx.session.add(open_payment)
        ctx.session.flush()

    payment = Payment(
        citizen_id=ctx.citizen_id,
        application_id=application_id,
        property_id=property_id,
        financial_year=year,
        dues_key=dues_key,
        open_dues_key=dues_key,
        department=department,
        amount_paise=amount,
        lines=lines,
        gateway=ctx.gateway.name,
        created_at=ctx.clock.now(),
    )
    ctx.session.add(payment)
    ctx.session.flush()
    assert payment.id is not None
    reference = payment_reference(payment.id)
    order = ctx.gateway.create_order(
        reference=reference, amount_paise=amount, description=dues_key
    )
    payment.gateway_order_id = order.order_id
    payment.pay_url = order.pay_url
    ctx.session.add(payment)
    audit.record(
        ctx.session,
        ctx.clock,
        actor=ctx.actor,
        action="payment_created",
        entity="payment",
        entity_id=payment.id,
        dues=dues_key,
        amount_paise=amount,
    )
    ctx.session.flush()
    return _order(ctx, payment, reused=False)


def _application_dues(
    ctx: ToolContext, args: CreatePaymentArgs
) -> tuple[str, list[dict[str, Any]], str, int | None, int | None]:
    application = own_application(ctx, args.application_number or "")
    service = ctx.catalog.service(application.service_id)
    already = ctx.session.exec(
        select(Payment).where(
            Payment.application_id == application.id,
            Payment.status == PaymentStatus.CAPTURED,
        )
    ).first()
    if already is not None:
        raise ToolRefused(
            "already_paid", f"{application.number} is already paid", number=application.number
        )
    quote = compute_fees(service, field_values(ctx, application), application.created_at.date())
    if quote.pending:
        raise ToolRefused(
            "fee_not_known_yet",
            f"answer {', '.join(quote.pending)} first: the fee depends on it",
            fields=quote.pending,
        )
    if quote.total_paise <= 0:
        raise ToolRefused("nothing_due", f"{application.number} has no fee to pay")
    lines = [
        {
            "head": line.head,
            "label": line.label.model_dump(),
            "head_of_account": line.head_of_account,
            "amount_paise": line.amount_paise,
            "basis": line.basis,
        }
        for line in quote.lines
        if line.amount_paise > 0
    ]
    return f"application:{application.number}:fees", lines, service.department, application.id, None


def _property_dues(
    ctx: ToolContext, args: CreatePaymentArgs
) -> tuple[str, list[dict[str, Any]], str, int | None, int | None, str]:
    prop = own_property(ctx, args.upic or "")
    years, _paid = _tax_dues(ctx, prop)
    if args.financial_year:
        try:
            until = canonical_financial_year(args.financial_year)
        except FieldValueError as error:
            raise ToolRetry(error.code, error.detail) from None
        years = [y for y in years if y.financial_year <= until]
    if not years:
        raise ToolRefused("already_paid", f"no property tax is due on {prop.upic}", upic=prop.upic)
    service = ctx.catalog.service("property_tax")
    head_of_account = service.fees[0].head_of_account if service.fees else "property_tax"
    lines = [
        {
            "head": "property_tax",
            "label": PROPERTY_TAX_LABEL.model_dump(),
            "head_of_account": head_of_account,
            "amount_paise": y.total_paise,
            "base_paise": y.base_paise,
            "rebate_paise": y.rebate_paise,
            "financial_year": y.financial_year,
            "basis": f"FY {y.financial_year}",
        }
        for y in years
    ]
    latest = years[-1].financial_year
    key = f"property:{prop.upic}:{','.join(y.financial_year for y in years)}"
    return key, lines, service.department, None, prop.id, latest


def _order(ctx: ToolContext, payment: Payment, *, reused: bool) -> PaymentOrder:
    assert payment.id is not None
    reference = payment_reference(payment.id)
    return PaymentOrder(
        payment_id=payment.id,
        reference=reference,
        amount_rupees=round_rupees(payment.amount_paise),
        lines=_lines(payment),
        pay_url=payment.pay_url or "",
        upi_link=upi_link(
            vpa=ctx.settings.upi_vpa,
            payee=ctx.settings.upi_payee,
            amount_paise=payment.amount_paise,
            note=reference,
            reference=reference,
        ),
        status=payment.status,
        reused=reused,
    )


def _lines(payment: Payment) -> list[PaymentLineOut]:
    return [
        PaymentLineOut(
            head=line["head"],
            label=LocalText.model_validate(line["label"]),
            amount_rupees=round_rupees(line["amount_paise"]),
            financial_year=line.get("financial_year"),
        )
        for line in payment.lines
    ]


class GetReceiptArgs(BaseModel):
    """Arguments of get_receipt: a receipt number or an application number."""

    receipt_number: str | None = Field(default=None, description="Like RCPT-2026-000001.")
    application_number: str | None = Field(default=None, description="Like BC-2026-000001.")


class ReceiptOut(BaseModel):
    """A receipt for a captured payment."""

    receipt_number: str
    payment_reference: str
    gateway_reference: str | None
    amount_rupees: int
    paid_at: str
    mode: str | None
    lines: list[PaymentLineOut]


class GetReceiptResult(BaseModel):
    """The citizen's receipts that match, newest first."""

    receipts: list[ReceiptOut]


@tool(GetReceiptArgs, GetReceiptResult)
def get_receipt(ctx: ToolContext, args: GetReceiptArgs) -> GetReceiptResult:
    """Find the citizen's payment receipts, by receipt number, by application, or all."""
    query = (
        select(Receipt, Payment)
        .join(Payment, col(Receipt.payment_id) == col(Payment.id))
        .where(Payment.citizen_id == ctx.citizen_id)
    )
    if args.receipt_number:
        query = query.where(Receipt.number == args.receipt_number.strip().upper())
    if args.application_number:
        application = own_application(ctx, args.application_number)
        query = query.where(Payment.application_id == application.id)
    rows = ctx.session.exec(query.order_by(col(Receipt.id).desc())).all()
    if args.receipt_number and not rows:
        raise ToolRefused("receipt_not_found", "no such receipt belongs to this citizen")
    return GetReceiptResult(
        receipts=[
            ReceiptOut(
                receipt_number=receipt.number,
                payment_reference=payment_reference(payment.id or 0),
                gateway_reference=payment.gateway_payment_id,
                amount_rupees=round_rupees(payment.amount_paise),
                paid_at=receipt.issued_at.isoformat(),
                mode=payment.mode,
                lines=_lines(payment),
            )
            for receipt, payment in rows
        ]
    )
