"""A local fake of Razorpay: the Orders API with basic auth, and webhooks signed as documented.

Razorpay signs a webhook with the hex HMAC-SHA256 of the raw body under the webhook secret, in
`X-Razorpay-Signature`, and names the event in `X-Razorpay-Event-Id`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import json
import time
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

KEY_ID = "rzp_test_fake"
KEY_SECRET = "fake-key-secret"
WEBHOOK_SECRET = "fake-webhook-secret"


class FakeRazorpay:
    def __init__(self) -> None:
        self.orders: dict[str, dict[str, Any]] = {}
        self.payments: dict[str, list[dict[str, Any]]] = {}
        self.requests: list[str] = []
        self.fail_next: list[int] = []
        self.sent: list[tuple[bytes, dict[str, str]]] = []
        self._ids = itertools.count(1)
        self.app = self._build()

    def _build(self) -> FastAPI:
        app = FastAPI()

        def refused(request: Request) -> JSONResponse | None:
            self.requests.append(f"{request.method} {request.url.path}")
            if self.fail_next:
                return JSONResponse({"error": {"description": "try later"}},
                                    status_code=self.fail_next.pop(0))
            expected = base64.b64encode(f"{KEY_ID}:{KEY_SECRET}".encode()).decode()
            if request.headers.get("authorization") != f"Basic {expected}":
                return JSONResponse({"error": {"code": "BAD_REQUEST_ERROR",
                                               "description": "Authentication failed"}},
                                    status_code=401)
            return None

        @app.post("/v1/orders")
        async def create_order(request: Request) -> JSONResponse:
            if (error := refused(request)) is not None:
                return error
            body = await request.json()
            order_id = f"order_{next(self._ids):014d}"
            self.orders[order_id] = {"id": order_id, "entity": "order", "amount": body["amount"],
                                     "currency": body["currency"], "receipt": body["receipt"],
                                     "status": "created", "notes": body.get("notes", {})}
            self.payments[order_id] = []
            return JSONResponse(self.orders[order_id])

        @app.get("/v1/orders/{order_id}/payments")
        async def order_payments(order_id: str, request: Request) -> JSONResponse:
            if (error := refused(request)) is not None:
                return error
            items = self.payments.get(order_id, [])
            return JSONResponse({"entity": "collection", "count": len(items), "items": items})

        return app

    def pay(self, order_id: str, *, success: bool = True, method: str = "upi",
            amount: int | None = None) -> tuple[bytes, dict[str, str]]:
        """Record a payment on an order and return its signed webhook (not yet sent)."""
        order = self.orders[order_id]
        payment_id = f"pay_{next(self._ids):014d}"
        payment = {"id": payment_id, "entity": "payment",
                   "amount": order["amount"] if amount is None else amount,
                   "currency": "INR", "status": "captured" if success else "failed",
                   "order_id": order_id, "method": method, "captured": success,
                   "created_at": int(time.time())}
        if not success:
            payment.update(error_code="BAD_REQUEST_ERROR", error_reason="payment_failed",
                           error_description="Payment failed because of insufficient balance")
        self.payments[order_id].append(payment)
        if success:
            order["status"] = "paid"
        event = {"entity": "event", "account_id": "acc_fake",
                 "event": "payment.captured" if success else "payment.failed",
                 "contains": ["payment"], "payload": {"payment": {"entity": payment}},
                 "created_at": int(time.time())}
        raw = json.dumps(event).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Razorpay-Signature": hmac.new(WEBHOOK_SECRET.encode(), raw,
                                             hashlib.sha256).hexdigest(),
            "X-Razorpay-Event-Id": f"evt_{next(self._ids):014d}",
        }
        return raw, headers

    def deliver(self, url: str, raw: bytes, headers: dict[str, str]) -> httpx.Response:
        """Post a webhook to the app, as Razorpay's servers do."""
        self.sent.append((raw, headers))
        return httpx.post(url, content=raw, headers=headers, timeout=10)
