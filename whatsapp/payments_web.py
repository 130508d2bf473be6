"""Payment routes: the gateways' webhooks, the sandbox's hosted pay page, Razorpay checkout.

`POST /payments/webhook/{sandbox|razorpay}` checks the signature of the raw body (401 missing,
403 wrong, 400 unreadable) and settles the event; a replay answers 200 and changes nothing.
`GET /sandbox/pay/{order_id}` is the sandbox gateway's page: the citizen picks UPI, card, net
banking or WhatsApp Pay and pays or fails; the sandbox then calls the webhook over HTTP with a
signed event, as a real gateway would.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from html import escape

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from tools.catalog import Catalog, load_catalog
from tools.clock import Clock, SystemClock
from tools.db.engine import make_engine
from tools.issuing import IssuingDeps
from tools.payments.razorpay import CHECKOUT_PATH
from tools.payments.sandbox import SandboxGateway, SandboxOrderClosed, settle_sandbox_order
from tools.payments.sandbox_callback import MODES, WEBHOOK_PATH, post_event, sandbox_event
from tools.payments.settlement import settle
from tools.payments.webhooks import RAZORPAY, SANDBOX, WebhookFormat, WebhookRefused, read_webhook
from tools.settings import Settings
from tools.toolkit.build import sandbox_database_url
from whatsapp.event_delivery import app_notifier
from whatsapp.web_pages import page

logger = logging.getLogger(__name__)

MODE_NAMES = {
    "upi": "UPI / यूपीआई",
    "card": "Card / कार्ड",
    "netbanking": "Net banking / नेट बैंकिंग",
    "whatsapp_pay": "WhatsApp Pay",
}


@dataclass
class PaymentsWeb:
    """What the payment routes share."""

    settings: Settings
    engine: Engine
    clock: Clock
    catalog: Catalog
    sandbox: SandboxGateway | None


def create_payments_router(
    settings: Settings,
    *,
    engine: Engine | None = None,
    clock: Clock | None = None,
    sandbox: SandboxGateway | None = None,
) -> APIRouter:
    """The payment routes over the application database of `settings` (or `engine`)."""
    web = PaymentsWeb(
        settings=settings,
        engine=engine or make_engine(settings.resolved_database_url),
        clock=clock or SystemClock(),
        catalog=load_catalog(settings.catalog_dir),
        sandbox=sandbox,
    )
    router = APIRouter()

    @router.post("/payments/webhook/sandbox")
    async def sandbox_webhook(request: Request) -> Response:
        """Settle a signed event from the sandbox gateway."""
        secret = settings.secret("sandbox_webhook_secret")
        return await _webhook(web, request, SANDBOX, secret)

    @router.post("/payments/webhook/razorpay")
    async def razorpay_webhook(request: Request) -> Response:
        """Settle a signed event from Razorpay."""
        secret = settings.razorpay_webhook_secret
        if secret is None:
            logger.error("razorpay webhook refused: set NAGRIK_RAZORPAY_WEBHOOK_SECRET to the "
                         "secret entered for this webhook in the Razorpay dashboard")
            return JSONResponse({"error": "not configured"}, status_code=503)
        return await _webhook(web, request, RAZORPAY, secret.get_secret_value())

    @router.get("/sandbox/pay/{order_id}", response_class=HTMLResponse)
    def sandbox_page(order_id: str) -> HTMLResponse:
        """The sandbox gateway's hosted payment page."""
        order = _sandbox(web).order(order_id)
        if order is None:
            return page("Payment not found", "<p>No such payment. / ऐसा कोई भुगतान नहीं है।</p>",
                        status=404)
        if order.status == "paid":
            return page("Already paid", "<p>This payment is complete. / भुगतान पूरा हो चुका है।</p>")
        options = "".join(
            f'<label><input type="radio" name="mode" value="{mode}"{" checked" if i == 0 else ""}>'
            f" {escape(MODE_NAMES[mode])}</label><br>"
            for i, mode in enumerate(MODES)
        )
        amount = f"₹{order.amount_paise // 100:,}.{order.amount_paise % 100:02d}"
        body = (
            f"<p>Amount / राशि: <b>{amount}</b><br>Reference / संदर्भ: "
            f"<code>{escape(order.reference)}</code></p>"
            f'<form method="post">{options}<p>'
            '<button name="action" value="pay">Pay / भुगतान करें</button> '
            '<button name="action" value="fail">Fail / विफल करें</button></p></form>'
            "<p><small>Sandbox: no money moves. / सैंडबॉक्स: कोई पैसा नहीं कटता।</small></p>"
        )
        return page("Nagrik sandbox payment", body)

    @router.post("/sandbox/pay/{order_id}", response_class=HTMLResponse)
    def sandbox_pay(
        order_id: str, action: str = Form("pay"), mode: str = Form("upi")
    ) -> HTMLResponse:
        """Complete or fail the order, then call the app's webhook with the signed event."""
        if mode not in MODES or action not in ("pay", "fail"):
            return page("Bad request", "<p>Choose a mode and Pay or Fail.</p>", status=400)
        try:
            order = settle_sandbox_order(_sandbox(web), order_id, success=action == "pay",
                                         mode=mode)
        except KeyError:
            return page("Payment not found", "<p>No such payment.</p>", status=404)
        except SandboxOrderClosed:
            return page("Already paid", "<p>This payment is complete. / भुगतान पूरा हो चुका है।</p>")
        raw, headers = sandbox_event(
            order, settings.secret("sandbox_webhook_secret"), int(web.clock.now().timestamp())
        )
        url = settings.public_base_url.rstrip("/") + WEBHOOK_PATH
        try:
            post_event(url, raw, headers)
        except Exception as error:  # the order stands; reconcile settles it later
            logger.error("sandbox callback to %s failed (%s): check NAGRIK_PUBLIC_BASE_URL; "
                         "`nagrik payments reconcile` settles the order", url, type(error).__name__)
        if action == "pay":
            return page("Payment successful", "<p>Payment successful. Go back to WhatsApp for "
                        "your receipt.<br>भुगतान सफल रहा। रसीद के लिए व्हाट्सऐप पर लौटें।</p>")
        return page("Payment failed", "<p>Payment failed. Go back to WhatsApp to try again."
                    "<br>भुगतान विफल रहा। फिर से कोशिश करने के लिए व्हाट्सऐप पर लौटें।</p>")

    @router.get(CHECKOUT_PATH + "/{order_id}", response_class=HTMLResponse)
    def razorpay_checkout(order_id: str) -> HTMLResponse:
        """A page that opens Razorpay Checkout for an order."""
        key = escape(settings.razorpay_key_id or "")
        script = (
            '<script src="https://checkout.razorpay.com/v1/checkout.js"></script><script>'
            f'new Razorpay({{key: "{key}", order_id: "{escape(order_id)}", name: "Nagrik Delhi"}})'
            ".open();</script>"
        )
        return page("Pay with Razorpay", f"<p>Opening the payment page…</p>{script}")

    return router


def _sandbox(web: PaymentsWeb) -> SandboxGateway:
    if web.sandbox is None:
        web.sandbox = SandboxGateway.at(sandbox_database_url(web.settings),
                                        web.settings.public_base_url)
    return web.sandbox


async def _webhook(
    web: PaymentsWeb, request: Request, fmt: WebhookFormat, secret: str
) -> Response:
    body = await request.body()
    try:
        event = read_webhook(fmt, secret, body, request.headers)
    except WebhookRefused as refused:
        logger.warning("%s webhook refused: %s", fmt.gateway, refused)
        return JSONResponse({"error": str(refused)}, status_code=refused.status)
    deps = IssuingDeps.from_settings(
        web.settings, web.engine, web.clock, web.catalog, app_notifier(request)
    )
    # Settling writes to the database and draws a PDF: keep it off the event loop.
    result = await run_in_threadpool(settle, deps, event)
    return JSONResponse({"outcome": result.outcome, "receipt": result.receipt_number})
