"""Builds the tool runtime from settings: database, catalog, clock and gateway."""

from __future__ import annotations

from tools.catalog import load_catalog
from tools.clock import Clock, SystemClock
from tools.db.engine import make_engine
from tools.payments.gateway import Gateway
from tools.payments.razorpay import RazorpayGateway
from tools.payments.sandbox import SandboxGateway
from tools.settings import Gateway as GatewayChoice
from tools.settings import Settings
from tools.toolkit import all_tools  # noqa: F401 - registers every tool
from tools.toolkit.runtime import ToolRuntime

TARIFF_FILE_NAME = "property_tax_tariff.yaml"


def build_runtime(settings: Settings, clock: Clock | None = None) -> ToolRuntime:
    """A tool runtime over the configured database, catalog and payment gateway."""
    engine = make_engine(settings.resolved_database_url)
    return ToolRuntime(
        engine=engine,
        clock=clock or SystemClock(),
        catalog=load_catalog(settings.catalog_dir),
        settings=settings,
        gateway=build_gateway(settings),
        tariff_path=settings.catalog_dir / TARIFF_FILE_NAME,
    )


def sandbox_database_url(settings: Settings) -> str:
    """Where the sandbox gateway keeps its own books."""
    return f"sqlite:///{settings.data_dir / 'sandbox-gateway.db'}"


def build_gateway(settings: Settings) -> Gateway:
    """The payment gateway the settings choose."""
    if settings.gateway is GatewayChoice.SANDBOX:
        return SandboxGateway.at(sandbox_database_url(settings), settings.public_base_url)
    if not settings.razorpay_key_id or settings.razorpay_key_secret is None:
        raise ValueError(
            "NAGRIK_GATEWAY=razorpay needs NAGRIK_RAZORPAY_KEY_ID and NAGRIK_RAZORPAY_KEY_SECRET "
            "(from the Razorpay dashboard, API keys) and NAGRIK_RAZORPAY_WEBHOOK_SECRET"
        )
    return RazorpayGateway(
        api_url=settings.razorpay_api_url,
        key_id=settings.razorpay_key_id,
        key_secret=settings.razorpay_key_secret.get_secret_value(),
        public_base_url=settings.public_base_url,
    )
