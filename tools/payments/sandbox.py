"""The sandbox gateway, the embedded default: a stand-in for a real gateway, with its own books.

It behaves like a real gateway from the app's point of view: it opens orders, reports their
status, and (in the web app) calls back with a signed event when the citizen completes the
payment on its hosted page. Its orders live in a database of its own, as a real gateway's
would, never in the application database.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlalchemy.orm import registry
from sqlmodel import Field, Session, SQLModel

from tools.db.engine import make_engine
from tools.payments.gateway import GatewayOrder, GatewayStatus


class SandboxBase(SQLModel, registry=registry()):
    """Tables of the sandbox gateway's own database."""


class SandboxOrder(SandboxBase, table=True):
    """An order held by the sandbox gateway."""

    __tablename__ = "sandbox_order"

    order_id: str = Field(primary_key=True, max_length=64)
    reference: str = Field(max_length=32)
    amount_paise: int
    description: str = ""
    status: str = Field(default="pending", max_length=16)
    payment_id: str | None = Field(default=None, max_length=64)
    mode: str | None = Field(default=None, max_length=32)


class SandboxGateway:
    """Opens and reports on sandbox orders; its pay page lives under `/sandbox/pay/`."""

    name = "sandbox"

    def __init__(self, engine: Engine, base_url: str) -> None:
        self._engine = engine
        self._base_url = base_url.rstrip("/")
        SandboxBase.metadata.create_all(engine)

    @property
    def engine(self) -> Engine:
        """The engine of the sandbox's own database."""
        return self._engine

    def order(self, order_id: str) -> SandboxOrder | None:
        """A copy of one sandbox order, or None."""
        with Session(self._engine, expire_on_commit=False) as session:
            return session.get(SandboxOrder, order_id)

    @classmethod
    def at(cls, database_url: str, base_url: str) -> SandboxGateway:
        """A sandbox gateway keeping its books in the database at `database_url`."""
        return cls(make_engine(database_url), base_url)

    def create_order(self, *, reference: str, amount_paise: int, description: str) -> GatewayOrder:
        """Open an order whose id derives from our reference, so a retry finds the same one."""
        order_id = f"sbx_{reference}"
        with Session(self._engine) as session:
            if session.get(SandboxOrder, order_id) is None:
                session.add(
                    SandboxOrder(
                        order_id=order_id,
                        reference=reference,
                        amount_paise=amount_paise,
                        description=description,
                    )
                )
                session.commit()
        return GatewayOrder(order_id=order_id, pay_url=f"{self._base_url}/sandbox/pay/{order_id}")

    def fetch_status(self, order_id: str) -> GatewayStatus:
        """Where the sandbox order stands."""
        with Session(self._engine) as session:
            order = session.get(SandboxOrder, order_id)
            if order is None:
                raise KeyError(order_id)
            return GatewayStatus(
                order_id=order_id,
                status=order.status,
                payment_id=order.payment_id,
                amount_paise=order.amount_paise,
                mode=order.mode,
            )


class SandboxOrderClosed(ValueError):
    """The sandbox order was already paid: it cannot be paid or failed again."""


def settle_sandbox_order(
    gateway: SandboxGateway, order_id: str, *, success: bool, mode: str
) -> SandboxOrder:
    """Complete or fail a sandbox order as its pay page does; returns the order afterwards.

    A failed order may be tried again (as at a real gateway); a paid one is closed.

    Raises:
        KeyError: no such order.
        SandboxOrderClosed: the order is already paid.
    """
    with Session(gateway.engine, expire_on_commit=False) as session:
        order = session.get(SandboxOrder, order_id)
        if order is None:
            raise KeyError(order_id)
        if order.status == "paid":
            raise SandboxOrderClosed(f"sandbox order {order_id} is already paid")
        # Each attempt is a new payment at the gateway: number them after the last one.
        attempt = int(order.payment_id.rsplit("_", 1)[1]) + 1 if order.payment_id else 1
        order.payment_id = f"sbxpay_{order.reference}_{attempt}"
        order.status = "paid" if success else "failed"
        order.mode = mode
        session.add(order)
        session.commit()
        return order
