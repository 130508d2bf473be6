"""`nagrik bench webhook`: signed webhook bodies at a steady rate, with latency figures.

Sends text messages for N citizens to a running server on loopback, open loop (each message
leaves at its scheduled time whether or not earlier ones were answered), and measures the
acknowledgement latency of each POST and the time until the reply reached the Graph API
(read from the local fake's log of sent messages, so the server must run with the fake).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

import httpx

from tools.settings import Settings
from whatsapp.loopback_http import LoopbackClient
from whatsapp.webhook_bodies import message_body, signed


@dataclass
class BenchResult:
    """What one run measured; latencies in milliseconds."""

    planned: int
    sent: int = 0
    acknowledged: int = 0
    errors: int = 0
    send_seconds: float = 0.0
    ack_ms: list[float] = field(default_factory=list)
    reply_ms: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Messages per second actually sent."""
        return self.sent / self.send_seconds if self.send_seconds else 0.0

    @property
    def lost(self) -> int:
        """Acknowledged messages without a reply by the end of the wait."""
        return self.acknowledged - len(self.reply_ms)


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` (0–1) of the values fall (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


async def run_bench(
    *,
    url: str,
    app_secret: str,
    access_token: str,
    api_url: str,
    phone_number_id: str,
    citizens: int,
    rate: float,
    seconds: float,
    reply_timeout: float = 30.0,
) -> BenchResult:
    """Send `rate` messages a second for `seconds`, spread over `citizens`, and measure."""
    total = int(rate * seconds)
    result = BenchResult(planned=total)
    started: dict[str, float] = {}
    bodies = []
    for index in range(total):
        message_id, body = message_body(
            phone_number_id=phone_number_id, display_phone_number="bench",
            citizen=f"91990{index % citizens:07d}", name="Bench",
            content={"type": "text", "text": {"body": f"bench {index}"}},
        )
        bodies.append((message_id, *signed(body, app_secret)))
    webhook = LoopbackClient(url)
    path = urlparse(url).path.rstrip("/") + "/webhook"

    async with httpx.AsyncClient(timeout=30.0) as http:
        after = await _last_seq(http, api_url, access_token)
        begin = time.perf_counter()
        wall_begin = time.time()

        async def one(index: int) -> None:
            message_id, raw, headers = bodies[index]
            await asyncio.sleep(max(0.0, begin + index / rate - time.perf_counter()))
            sent_at = time.perf_counter()
            started[message_id] = wall_begin + (sent_at - begin)
            result.sent += 1
            try:
                status = await asyncio.wait_for(webhook.post(path, raw, headers), 30.0)
            except (OSError, TimeoutError, ValueError, asyncio.IncompleteReadError):
                result.errors += 1
                return
            result.ack_ms.append((time.perf_counter() - sent_at) * 1000)
            if status == 200:
                result.acknowledged += 1
            else:
                result.errors += 1

        await asyncio.gather(*(one(index) for index in range(total)))
        result.send_seconds = time.perf_counter() - begin
        await webhook.close()

        deadline = time.monotonic() + reply_timeout
        replied: dict[str, float] = {}
        while time.monotonic() < deadline:
            for item in await _sent_since(http, api_url, access_token, after):
                after = max(after, item["seq"])
                message_id = (item.get("key") or "").rsplit(":", 1)[0]
                if message_id in started and message_id not in replied:
                    replied[message_id] = item["received_at"]
            if len(replied) >= result.acknowledged:
                break
            await asyncio.sleep(0.2)
        result.reply_ms = [(replied[m] - started[m]) * 1000 for m in replied]
    return result


def run_bench_with(
    settings: Settings,
    *,
    url: str,
    api_url: str,
    citizens: int,
    rate: float,
    seconds: float,
    phone_number_id: str | None = None,
) -> BenchResult:
    """`run_bench` with the secrets and (by default) the general number from the settings."""
    from whatsapp.departments import load_numbers

    return asyncio.run(
        run_bench(
            url=url,
            app_secret=settings.secret("whatsapp_app_secret"),
            access_token=settings.secret("whatsapp_access_token"),
            api_url=api_url,
            phone_number_id=phone_number_id or load_numbers(settings).general.phone_number_id,
            citizens=citizens,
            rate=rate,
            seconds=seconds,
        )
    )


async def _sent_since(
    http: httpx.AsyncClient, api_url: str, token: str, after: int
) -> list[dict]:
    answer = await http.get(f"{api_url.rstrip('/')}/_sent", params={"after": after},
                            headers={"Authorization": f"Bearer {token}"})
    answer.raise_for_status()
    return list(answer.json())


async def _last_seq(http: httpx.AsyncClient, api_url: str, token: str) -> int:
    items = await _sent_since(http, api_url, token, 0)
    return max((item["seq"] for item in items), default=0)


def report(result: BenchResult) -> list[str]:
    """The figures of a run as lines of text."""

    def spread(values: list[float]) -> str:
        return " / ".join(f"{percentile(values, share):.1f}" for share in (0.5, 0.95, 0.99))

    return [
        f"messages sent        {result.sent} of {result.planned} in {result.send_seconds:.1f} s",
        f"rate held            {result.rate:.1f} messages/s",
        f"acknowledged (200)   {result.acknowledged}, errors {result.errors}",
        f"ack p50/p95/p99      {spread(result.ack_ms)} ms",
        f"reply p50/p95/p99    {spread(result.reply_ms)} ms",
        f"replies received     {len(result.reply_ms)}, lost {result.lost}",
    ]
