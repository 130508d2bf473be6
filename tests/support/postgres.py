"""A throwaway PostgreSQL cluster for tests, made with Debian's pg_createcluster."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from tests.support.servers import free_port

VERSION_DIR = "/usr/lib/postgresql"


def available() -> bool:
    return all(shutil.which(tool) for tool in ("pg_createcluster", "pg_ctlcluster"))


@contextmanager
def cluster() -> Iterator[str]:
    """Start a cluster on a free loopback port; yields a psycopg URL to an empty database."""
    version = sorted(os.listdir(VERSION_DIR))[-1]
    name = f"nagrik{uuid.uuid4().hex[:8]}"
    port = free_port()
    subprocess.run(
        ["pg_createcluster", version, name, "-p", str(port), "--", "--auth=trust"],
        check=True, capture_output=True,
    )
    try:
        subprocess.run(["pg_ctlcluster", version, name, "start"], check=True, capture_output=True)
        admin = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute("CREATE DATABASE nagrik")
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/nagrik"
    finally:
        subprocess.run(["pg_dropcluster", "--stop", version, name], capture_output=True)
