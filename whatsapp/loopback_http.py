"""A minimal HTTP/1.1 client for load tests on loopback: keep-alive connections, no frills.

httpx costs milliseconds of CPU per request, which on a small machine would measure the load
generator rather than the server. This client writes the request bytes itself and reads a
`Content-Length` answer. It is for `nagrik bench` and for the fake Graph API when it runs
alone (posting status webhooks), never for talking to Meta.
"""

from __future__ import annotations

import asyncio
from urllib.parse import urlparse


class LoopbackClient:
    """A pool of keep-alive connections to one host and port."""

    def __init__(self, base_url: str, connections: int = 64) -> None:
        url = urlparse(base_url)
        self.host = url.hostname or "127.0.0.1"
        self.port = url.port or 80
        self._size = connections
        self._idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] | None = None
        self._opened = 0

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> int:
        """POST `body` and return the status code (the answer's body is read and dropped)."""
        head = [f"POST {path} HTTP/1.1", f"Host: {self.host}:{self.port}",
                f"Content-Length: {len(body)}"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        request = ("\r\n".join(head) + "\r\n\r\n").encode() + body

        reader, writer = await self._take()
        try:
            writer.write(request)
            status, keep = await _read_answer(reader)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            writer.close()
            self._opened -= 1
            raise
        if keep:
            self._put(reader, writer)
        else:
            writer.close()
            self._opened -= 1
        return status

    async def close(self) -> None:
        """Close the idle connections."""
        while self._idle is not None and not self._idle.empty():
            _, writer = self._idle.get_nowait()
            writer.close()

    async def _take(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self._idle is None:
            self._idle = asyncio.Queue()
        if self._idle.empty() and self._opened < self._size:
            self._opened += 1
            try:
                return await asyncio.open_connection(self.host, self.port)
            except OSError:
                self._opened -= 1
                raise
        return await self._idle.get()

    def _put(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        assert self._idle is not None
        self._idle.put_nowait((reader, writer))


async def _read_answer(reader: asyncio.StreamReader) -> tuple[int, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    length, keep = 0, True
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value.strip())
        elif name.lower() == "connection" and value.strip().lower() == "close":
            keep = False
    if length:
        await reader.readexactly(length)
    return status, keep
