import asyncio
import time

import httpx
import pytest

from whatsapp.client import CloudClient, parse_retry_after
from whatsapp.errors import GraphNetworkError, PermanentGraphError, RetryableGraphError
from whatsapp.ratelimit import TokenBucket

OK = {"messages": [{"id": "wamid.1"}]}


def client_for(answers: list, **kwargs) -> tuple[CloudClient, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    kwargs.setdefault("initial_wait", 0.01)
    kwargs.setdefault("max_wait", 0.05)
    client = CloudClient("http://graph.test/v21.0", "token",
                         transport=httpx.MockTransport(handler), **kwargs)
    return client, seen


def error(status: int, code: int, headers: dict | None = None) -> httpx.Response:
    body = {"error": {"message": "m", "code": code}}
    return httpx.Response(status, json=body, headers=headers or {})


def test_send_returns_the_wamid_and_uses_the_token() -> None:
    client, seen = client_for([httpx.Response(200, json=OK)])
    assert asyncio.run(client.send("123", {"to": "9", "type": "text"})) == "wamid.1"
    assert seen[0].headers["authorization"] == "Bearer token"
    assert seen[0].url.path == "/v21.0/123/messages"


def test_retries_throttling_and_server_errors_honouring_retry_after() -> None:
    answers = [error(429, 130429, {"Retry-After": "0.2"}), error(503, 2),
               httpx.ConnectError("down"), httpx.Response(200, json=OK)]
    client, seen = client_for(answers, max_wait=1.0)
    started = time.monotonic()
    assert asyncio.run(client.send("123", {})) == "wamid.1"
    assert len(seen) == 4
    assert time.monotonic() - started >= 0.2


def test_no_retry_on_errors_that_cannot_succeed() -> None:
    client, seen = client_for([error(400, 131047), httpx.Response(200, json=OK)])
    with pytest.raises(PermanentGraphError) as caught:
        asyncio.run(client.send("123", {}))
    assert caught.value.code == 131047 and caught.value.http_status == 400
    assert len(seen) == 1


def test_gives_up_with_a_typed_error() -> None:
    client, seen = client_for([httpx.ConnectError("down")] * 3, attempts=3)
    with pytest.raises(GraphNetworkError):
        asyncio.run(client.send("123", {}))
    client, _ = client_for([error(500, 1)] * 2, attempts=2)
    with pytest.raises(RetryableGraphError):
        asyncio.run(client.send("123", {}))


def test_media_download_checks_size() -> None:
    info = httpx.Response(200, json={"url": "http://cdn.test/f", "mime_type": "image/png",
                                     "file_size": 3})
    client, _ = client_for([info, httpx.Response(200, content=b"x" * 50)])

    async def fetch() -> bytes:
        media = await client.media_info("77")
        return await client.download(media.url, max_bytes=10)

    with pytest.raises(PermanentGraphError):
        asyncio.run(fetch())


def test_retry_after_forms() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_token_bucket_paces_calls() -> None:
    async def take(count: int) -> float:
        bucket = TokenBucket(rate=50, burst=5)
        started = time.monotonic()
        for _ in range(count):
            await bucket.acquire()
        return time.monotonic() - started

    assert asyncio.run(take(5)) < 0.05
    assert asyncio.run(take(15)) >= 0.18
