"""Time comes from a clock object, so tests and evals can fix "now"."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

INDIA = ZoneInfo("Asia/Kolkata")


class Clock(Protocol):
    """Anything that says what time it is, as an aware datetime."""

    def now(self) -> datetime:
        """The current time, timezone-aware."""
        ...


class SystemClock:
    """The real time, in India's time zone."""

    def now(self) -> datetime:
        """The current time in Asia/Kolkata."""
        return datetime.now(INDIA)


class FixedClock:
    """A clock that says what it is told; `advance` moves it forward."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            at = at.replace(tzinfo=INDIA)
        self._at = at

    def now(self) -> datetime:
        """The time this clock was set to."""
        return self._at

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by `delta`."""
        self._at += delta

    def set(self, at: datetime) -> None:
        """Set the clock to `at` (naive times are taken as India time)."""
        self._at = at if at.tzinfo else at.replace(tzinfo=INDIA)


def today(clock: Clock) -> date:
    """The calendar date in India according to a clock."""
    return clock.now().astimezone(INDIA).date()
