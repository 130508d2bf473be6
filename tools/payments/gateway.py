"""The interface every payment gateway implements, and the order it hands back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class GatewayOrder:
    """An order opened at the gateway: its id and the page where the citizen pays."""

    order_id: str
    pay_url: str


@dataclass(frozen=True)
class GatewayStatus:
    """What the gateway's status API says of an order."""

    order_id: str
    status: str  # "paid", "failed" or "pending"
    payment_id: str | None = None
    amount_paise: int | None = None
    mode: str | None = None


class Gateway(Protocol):
    """A payment gateway: opens orders and reports on them; callbacks arrive by webhook."""

    name: str

    def create_order(self, *, reference: str, amount_paise: int, description: str) -> GatewayOrder:
        """Open an order for an amount; `reference` is our own unique payment reference."""
        ...

    def fetch_status(self, order_id: str) -> GatewayStatus:
        """Ask the gateway where an order stands (for reconciliation)."""
        ...
