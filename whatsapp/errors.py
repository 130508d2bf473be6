"""Typed errors of the Cloud API client: retry later, or give up and tell an operator."""

from __future__ import annotations

# Meta error codes that mean "slow down or try again", whatever the HTTP status.
RETRYABLE_CODES = frozenset(
    {
        1,  # unknown API error
        2,  # service temporarily unavailable
        4,  # application request limit
        80007,  # account rate limit
        130429,  # throughput of the number reached
        131000,  # something went wrong
        131016,  # service unavailable
        131048,  # spam rate limit
        131056,  # too many messages to one citizen
        133004,  # server temporarily unavailable
    }
)


class GraphError(Exception):
    """A Cloud API call failed; `code` is Meta's error code when there was one."""

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = None,
        code: int | None = None,
        title: str | None = None,
        detail: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.http_status = http_status
        self.code = code
        self.title = title
        self.detail = detail
        self.retry_after = retry_after


class RetryableGraphError(GraphError):
    """Throttled, a server error or a network failure: the same call may succeed later."""


class GraphNetworkError(RetryableGraphError):
    """The Cloud API could not be reached or did not answer in time."""


class PermanentGraphError(GraphError):
    """The call cannot succeed as it is (bad request, closed window, wrong token)."""


class MediaTooLarge(PermanentGraphError):
    """A media file is larger than the channel accepts."""


def classify(
    http_status: int,
    code: int | None,
    title: str | None,
    detail: str | None,
    retry_after: float | None,
) -> GraphError:
    """The typed error for a failed HTTP answer of the Cloud API."""
    message = f"Cloud API answered {http_status}"
    if code is not None:
        message += f" with error {code}"
    if title:
        message += f": {title}"
    kind: type[GraphError] = PermanentGraphError
    if http_status == 429 or http_status >= 500 or code in RETRYABLE_CODES:
        kind = RetryableGraphError
    return kind(
        message, http_status=http_status, code=code, title=title, detail=detail,
        retry_after=retry_after,
    )
