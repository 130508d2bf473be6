"""The Razorpay gateway: Orders API with basic auth, statuses for reconciliation.

The citizen pays on a small checkout page of ours that opens Razorpay Checkout for the order
(`{public_base_url}/payments/razorpay/checkout/{order_id}`); Razorpay then calls the webhook
with `payment.captured` or `payment.failed`, signed in `X-Razorpay-Signature`.
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
from tenacity import (
    retry,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from tools.payments.gateway import GatewayOrder, GatewayStatus

logger = logging.getLogger(__name__)

CHECKOUT_PATH = "/payments/razorpay/checkout"


class GatewayError(RuntimeError):
    """The gateway refused a request or could not be reached; the message says what to do."""


def _retryable(error: BaseException) -> bool:
    if isinstance(error, httpx.TransportError):
        return True
    if isinstance(error, httpx.HTTPStatusError):
        return error.response.status_code == 429 or error.response.status_code >= 500
    return False


class RazorpayGateway:
    """Opens Razorpay orders and reads their payments."""

    name = "razorpay"

    def __init__(
        self,
        *,
        api_url: str,
        key_id: str,
        key_secret: str,
        public_base_url: str,
        transport: httpx.BaseTransport | None = None,
        attempts: int = 4,
        backoff: float = 0.5,
    ) -> None:
        self.key_id = key_id
        self._client = httpx.Client(
            base_url=api_url.rstrip("/"),
            auth=(key_id, key_secret),
            timeout=15,
            transport=transport,
        )
        self._base_url = public_base_url.rstrip("/")
        self._send = retry(
            retry=retry_if_exception(_retryable),
            stop=stop_after_attempt(attempts),
            wait=wait_exponential(multiplier=backoff, max=8),
            reraise=True,
        )(self._send_once)

    def create_order(self, *, reference: str, amount_paise: int, description: str) -> GatewayOrder:
        """Open an order for the amount; `receipt` carries our reference for the ledger."""
        body = {
            "amount": amount_paise,
            "currency": "INR",
            "receipt": reference,
            "notes": {"reference": reference, "dues": description[:250]},
        }
        order = self._request("POST", "/orders", json=body)
        order_id = str(order["id"])
        logger.info("razorpay order %s opened for %s", order_id, reference)
        pay_url = f"{self._base_url}{CHECKOUT_PATH}/{order_id}"
        return GatewayOrder(order_id=order_id, pay_url=pay_url)

    def fetch_status(self, order_id: str) -> GatewayStatus:
        """Where an order stands, from its payments: paid, failed or pending."""
        items = self._request("GET", f"/orders/{order_id}/payments").get("items", [])
        captured = [item for item in items if item.get("status") == "captured"]
        if captured:
            payment = captured[0]
            return GatewayStatus(
                order_id=order_id,
                status="paid",
                payment_id=payment.get("id"),
                amount_paise=payment.get("amount"),
                mode=payment.get("method"),
            )
        if items and all(item.get("status") == "failed" for item in items):
            return GatewayStatus(order_id=order_id, status="failed", payment_id=items[-1].get("id"))
        return GatewayStatus(order_id=order_id, status="pending")

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self._send(method, path, **kwargs)
        except httpx.HTTPStatusError as error:
            raise GatewayError(_explain(error.response, path)) from error
        except httpx.TransportError as error:
            raise GatewayError(
                f"Razorpay could not be reached for {path} ({type(error).__name__}); check "
                "NAGRIK_RAZORPAY_API_URL and the network, then retry"
            ) from error
        data: dict[str, Any] = response.json()
        return data

    def _send_once(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = self._client.request(method, path, **kwargs)
        response.raise_for_status()
        return response


def _explain(response: httpx.Response, path: str) -> str:
    status = response.status_code
    if status == 401:
        return (
            f"Razorpay refused the credentials for {path} (401): check NAGRIK_RAZORPAY_KEY_ID "
            "and NAGRIK_RAZORPAY_KEY_SECRET (test keys start with rzp_test_)"
        )
    try:
        detail = response.json().get("error", {}).get("description", "")
    except ValueError:
        detail = ""
    return f"Razorpay answered {status} for {path}: {detail or response.reason_phrase}"
