"""The WhatsApp Cloud API client: send messages, upload and fetch media, with retries.

Retries (tenacity) cover throttling, server errors and network failures, waiting as long as
`Retry-After` asks or backing off exponentially; other 4xx answers fail at once. Every failure
is a `GraphError` subclass carrying Meta's error code.
"""

from __future__ import annotations

import email.utils
import logging
import time
from dataclasses import dataclass
from typing import Any

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from whatsapp.errors import (
    GraphError,
    GraphNetworkError,
    MediaTooLarge,
    PermanentGraphError,
    RetryableGraphError,
    classify,
)
from whatsapp.ratelimit import NumberLimits

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MediaInfo:
    """Where a media file can be fetched for the next few minutes, and what it is."""

    url: str
    mime_type: str | None
    file_size: int | None
    sha256: str | None


class _RetryAfterWait:
    """Wait what the server asked for, else back off exponentially with jitter."""

    def __init__(self, initial: float, maximum: float) -> None:
        self._maximum = maximum
        self._backoff = wait_exponential_jitter(initial=initial, max=maximum, jitter=initial)

    def __call__(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, GraphError) and error.retry_after is not None:
            return min(max(error.retry_after, 0.0), self._maximum)
        return float(self._backoff(state))


class CloudClient:
    """An async client of the Graph API for the numbers of one WhatsApp Business Account."""

    def __init__(
        self,
        base_url: str,
        access_token: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = 10.0,
        attempts: int = 4,
        initial_wait: float = 0.5,
        max_wait: float = 30.0,
        rate_per_second: float = 80.0,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.AsyncClient(
            transport=transport,
            timeout=timeout,
            headers={"Authorization": f"Bearer {access_token}"},
            limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
        )
        self._attempts = attempts
        self._wait = _RetryAfterWait(initial_wait, max_wait)
        self._limits = NumberLimits(rate_per_second)

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def send(self, phone_number_id: str, message: dict[str, Any]) -> str:
        """Send one message from a number; return its wamid."""
        body = {"messaging_product": "whatsapp", **message}
        answer = await self._call(
            "POST", f"/{phone_number_id}/messages", number=phone_number_id, json=body
        )
        try:
            return str(answer["messages"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise PermanentGraphError("Cloud API accepted a message without an id") from None

    async def upload_media(
        self, phone_number_id: str, data: bytes, mime_type: str, filename: str
    ) -> str:
        """Upload a file for a number to send; return the media id."""
        answer = await self._call(
            "POST",
            f"/{phone_number_id}/media",
            number=phone_number_id,
            data={"messaging_product": "whatsapp", "type": mime_type},
            files={"file": (filename, data, mime_type)},
        )
        return str(answer["id"])

    async def media_info(self, media_id: str) -> MediaInfo:
        """The short-lived URL and the type of a media id."""
        answer = await self._call("GET", f"/{media_id}")
        size = answer.get("file_size")
        return MediaInfo(
            url=str(answer["url"]),
            mime_type=answer.get("mime_type"),
            file_size=int(size) if size is not None else None,
            sha256=answer.get("sha256"),
        )

    async def download(self, url: str, max_bytes: int) -> bytes:
        """The bytes behind a media URL, refusing files over `max_bytes`."""
        async for attempt in self._retrying():
            with attempt:
                return await self._download_once(url, max_bytes)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _download_once(self, url: str, max_bytes: int) -> bytes:
        try:
            async with self._http.stream("GET", url) as response:
                if response.status_code >= 400:
                    await response.aread()
                    raise _error_from(response)
                chunks = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise MediaTooLarge(f"media is larger than {max_bytes} bytes")
                    chunks.append(chunk)
                return b"".join(chunks)
        except httpx.TransportError as error:
            raise GraphNetworkError(f"media download failed: {type(error).__name__}") from error

    async def _call(
        self, method: str, path: str, *, number: str | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        async for attempt in self._retrying():
            with attempt:
                if number is not None:
                    await self._limits.acquire(number)
                return await self._call_once(method, path, **kwargs)
        raise AssertionError("unreachable")  # pragma: no cover

    def _retrying(self) -> AsyncRetrying:
        return AsyncRetrying(
            stop=stop_after_attempt(self._attempts),
            wait=self._wait,
            retry=retry_if_exception_type(RetryableGraphError),
            reraise=True,
            before_sleep=_log_retry,
        )

    async def _call_once(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = await self._http.request(method, self.base_url + path, **kwargs)
        except httpx.TransportError as error:
            raise GraphNetworkError(
                f"Cloud API unreachable: {type(error).__name__}"
            ) from error
        if response.status_code >= 400:
            raise _error_from(response)
        try:
            answer = response.json()
        except ValueError:
            raise RetryableGraphError(
                "Cloud API answered with a body that is not JSON",
                http_status=response.status_code,
            ) from None
        if not isinstance(answer, dict):
            raise PermanentGraphError("Cloud API answered with a JSON that is not an object")
        return answer


def _error_from(response: httpx.Response) -> GraphError:
    code = title = detail = None
    try:
        error = response.json().get("error", {})
        code = error.get("code")
        title = error.get("message") or error.get("title")
        detail = (error.get("error_data") or {}).get("details")
    except (ValueError, AttributeError):
        pass
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    return classify(response.status_code, code, title, detail, retry_after)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a `Retry-After` header: a number or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _log_retry(state: RetryCallState) -> None:
    error = state.outcome.exception() if state.outcome else None
    logger.warning(
        "Cloud API call failed (attempt %d), retrying: %s", state.attempt_number, error
    )
