"""The gateway's side of a `pay` step: the sandbox completes the open payment, as its page would.

The citizen's newest pending payment is paid (or failed) on the sandbox gateway, which signs
a callback event exactly as on its hosted page; the app's settlement verifies the signature,
captures the payment, draws the receipt and hands the conversation its event.
"""

from __future__ import annotations

from agent.messages import Incoming, IncomingKind
from tools.issuing import IssuingDeps
from tools.notifications import CollectingNotifier
from tools.payments.sandbox import SandboxGateway
from tools.payments.sandbox_callback import NoOpenPayment, pay_open_payment
from tools.toolkit.runtime import ToolRuntime

__all__ = ["NoOpenPayment", "settle_open_payment"]


def settle_open_payment(
    tools: ToolRuntime, wa_id: str, *, success: bool, base: dict[str, object]
) -> Incoming:
    """Pay (or fail) the citizen's open payment in the sandbox; return the event for the agent.

    Raises:
        NoOpenPayment: the citizen has no pending payment.
        ValueError: the settlement refused the event (a mismatch, for example).
    """
    gateway = tools.gateway
    if not isinstance(gateway, SandboxGateway):
        raise ValueError(f"pay steps need the sandbox gateway, not {gateway.name}")
    notifier = CollectingNotifier()
    deps = IssuingDeps.from_settings(
        tools.settings, tools.engine, tools.clock, tools.catalog, notifier
    )
    pay_open_payment(
        gateway, deps, tools.settings.secret("sandbox_webhook_secret"), wa_id, success=success
    )
    if not notifier.events:
        raise ValueError("the gateway's event settled nothing")
    event = notifier.events[-1]
    return Incoming(
        **{**base, "message_id": event.message_id},
        kind=IncomingKind.EVENT,
        event=event.event,
        event_data=dict(event.data),
    )
