"""A token bucket per sending number, so one number never exceeds its messages per second."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class TokenBucket:
    """`rate` tokens a second, up to `burst` saved; `acquire` waits for one."""

    def __init__(
        self, rate: float, burst: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = burst if burst is not None else max(1.0, rate)
        self._monotonic = monotonic
        self._tokens = self.burst
        self._stamp = monotonic()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self._monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now

    async def acquire(self) -> None:
        """Wait until a token is free, then take it."""
        async with self._lock:
            self._refill()
            if self._tokens < 1:
                await asyncio.sleep((1 - self._tokens) / self.rate)
                self._refill()
            self._tokens -= 1


class NumberLimits:
    """One bucket per business number."""

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self._buckets: dict[str, TokenBucket] = {}

    async def acquire(self, phone_number_id: str) -> None:
        """Wait for the right to make one call for a number."""
        bucket = self._buckets.get(phone_number_id)
        if bucket is None:
            bucket = self._buckets[phone_number_id] = TokenBucket(self.rate)
        await bucket.acquire()
