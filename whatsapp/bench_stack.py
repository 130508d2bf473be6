"""`nagrik bench stack`: the production arrangement on this machine, under load, in one command.

It starts, in a fresh data folder, the processes a deployment runs — the server that
acknowledges webhooks (`nagrik serve --no-simulator` with no worker inside), the inbox worker
with the agent (`nagrik whatsapp worker --no-sender`), the outbox sender
(`nagrik whatsapp sender`) — and, standing in for Meta, the fake Graph API in a process of its
own (`nagrik whatsapp fake-graph`), which posts status webhooks back over HTTP as Meta does.
Worker and sender run at a lower CPU priority (`nice`), as the README recommends for a
deployment: on a busy machine the acknowledging server then gets a core first. Then it warms
the stack up, runs `whatsapp.bench.run_bench` against it, reports the figures and the CPU each
process used per message, and stops everything.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tools.settings import Settings
from whatsapp.bench import BenchResult, run_bench_with

logger = logging.getLogger(__name__)

CLI = [sys.executable, "-m", "nagrik_cli.main"]
API_PATH = "/fake-graph/v21.0"


@dataclass
class StackResult:
    """A run's figures, and CPU milliseconds per message for each process."""

    bench: BenchResult
    cpu_ms_per_message: dict[str, float] = field(default_factory=dict)


@dataclass
class _Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    def cpu_seconds(self) -> float | None:
        """User plus system CPU time so far (Linux), or None where /proc is absent."""
        stat = Path(f"/proc/{self.popen.pid}/stat")
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            return None
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def run_stack(
    settings: Settings,
    *,
    rate: float,
    seconds: float,
    citizens: int,
    echo: bool = False,
    warmup_seconds: float = 5.0,
    keep_dir: Path | None = None,
    background_nice: int = 5,
    workers: int = 1,
) -> StackResult:
    """Start the processes, measure `rate` messages a second for `seconds`, stop them."""
    with (
        _data_dir(keep_dir) as data_dir,
        _stack(settings, data_dir, echo, background_nice, workers) as (urls, processes),
    ):
        server_url, api_url = urls
        if warmup_seconds > 0:
            warm = min(rate, 40.0)
            logger.info("warming up: %.0f messages a second for %.0f s", warm, warmup_seconds)
            run_bench_with(settings, url=server_url, api_url=api_url, citizens=citizens,
                           rate=warm, seconds=warmup_seconds)
        before = {p.name: p.cpu_seconds() for p in processes}
        result = StackResult(run_bench_with(settings, url=server_url, api_url=api_url,
                                            citizens=citizens, rate=rate, seconds=seconds))
        for process in processes:
            start, end = before[process.name], process.cpu_seconds()
            if start is not None and end is not None and result.bench.sent:
                result.cpu_ms_per_message[process.name] = (end - start) * 1000 / result.bench.sent
        return result


def report_stack(result: StackResult) -> list[str]:
    """The figures of a stack run as lines of text."""
    from whatsapp.bench import report

    lines = report(result.bench)
    if result.cpu_ms_per_message:
        spent = ", ".join(f"{name} {ms:.1f}" for name, ms in result.cpu_ms_per_message.items())
        lines.append(f"CPU ms per message   {spent}")
    return lines


@contextmanager
def _data_dir(keep: Path | None) -> Iterator[Path]:
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    with tempfile.TemporaryDirectory(prefix="nagrik-stack-") as folder:
        yield Path(folder)


@contextmanager
def _stack(
    settings: Settings, data_dir: Path, echo: bool, background_nice: int, workers: int
) -> Iterator[tuple[tuple[str, str], list[_Process]]]:
    server_port, fake_port = free_port(), free_port()
    server_url = f"http://127.0.0.1:{server_port}"
    api_url = f"http://127.0.0.1:{fake_port}{API_PATH}"
    env = {
        **os.environ,
        "NAGRIK_DATA_DIR": str(data_dir),
        "NAGRIK_DATABASE_URL": "",
        "NAGRIK_CHECKPOINT_URL": "",
        "NAGRIK_WHATSAPP_API_URL": api_url,
        "NAGRIK_WHATSAPP_INLINE_WORKER": "false",
        "NAGRIK_WHATSAPP_APP_SECRET": settings.secret("whatsapp_app_secret"),
        "NAGRIK_WHATSAPP_ACCESS_TOKEN": settings.secret("whatsapp_access_token"),
        "NAGRIK_WHATSAPP_VERIFY_TOKEN": settings.secret("whatsapp_verify_token"),
    }
    processes: list[_Process] = []

    def start(name: str, *args: str, nice: int = 0) -> None:
        log = data_dir / f"{name}.log"
        prefix = ["nice", "-n", str(nice)] if nice and shutil.which("nice") else []
        with log.open("wb") as handle:
            popen = subprocess.Popen(
                [*prefix, *CLI, *args], env=env, stdout=handle, stderr=handle
            )
        processes.append(_Process(name, popen, log))

    try:
        start("fake", "whatsapp", "fake-graph", "--port", str(fake_port),
              "--webhook-url", f"{server_url}/webhook")
        start("server", "serve", "--port", str(server_port), "--create-tables",
              "--no-simulator")
        _wait_ready(f"{server_url}/webhook", processes)
        _wait_ready(f"{api_url}/_sent", processes)
        worker = ["whatsapp", "worker", "--no-sender", *(["--echo"] if echo else [])]
        for number in range(1, workers + 1):
            name = "worker" if workers == 1 else f"worker-{number}"
            start(name, *worker, "--name", name, nice=background_nice)
        start("sender", "whatsapp", "sender", nice=background_nice)
        yield (server_url, api_url), processes
    finally:
        for process in processes:
            process.popen.terminate()
        for process in processes:
            try:
                process.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.popen.kill()


def _wait_ready(url: str, processes: list[_Process], timeout: float = 60.0) -> None:
    """Wait until `url` answers at all (any status), or fail naming a process that died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in processes:
            if process.popen.poll() is not None:
                tail = process.log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{process.name} exited early:\n{tail}")
        try:
            httpx.get(url, timeout=1.0)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")
