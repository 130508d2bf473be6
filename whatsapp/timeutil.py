"""Times as the channel's tables keep them: timezone-aware, in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from tools.clock import Clock


def utc(moment: datetime) -> datetime:
    """`moment` in UTC (a naive time is taken as UTC already)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def now_utc(clock: Clock) -> datetime:
    """The clock's time in UTC."""
    return utc(clock.now())


def from_epoch(seconds: int | None) -> datetime | None:
    """A WhatsApp timestamp (Unix seconds) in UTC."""
    if seconds is None:
        return None
    return datetime.fromtimestamp(seconds, UTC)
