"""A trivial conversation handler that answers at once: for benchmarks of the channel alone."""

from __future__ import annotations

from agent.messages import Incoming, Reply, TextReply
from tools.settings import Settings


class EchoHandler:
    """Answers every message with one short text; no agent, no database."""

    def handle(self, incoming: Incoming) -> list[Reply]:
        """Echo the kind of message received."""
        said = incoming.choice_title or incoming.text or incoming.media_kind or incoming.kind
        return [TextReply(body=f"echo: {said}"[:4096])]


def echo_handler(settings: Settings) -> EchoHandler:
    """A handler factory for `create_app` that ignores the settings."""
    return EchoHandler()
