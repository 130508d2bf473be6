"""Documents encrypted at rest with AES-256-GCM, each file naming the key that sealed it.

A sealed file is `NGV1`, one byte giving the key id's length, the key id (ASCII), a random
12-byte nonce, then the ciphertext with its 16-byte tag. The header (magic and key id) is the
associated data, so a file cannot be relabelled with another key id without failing. Keys come
from settings: the current one seals, retired ones only open, and `rotate` re-seals every file
under the current key, replacing each file atomically.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tools.settings import Settings

logger = logging.getLogger(__name__)

MAGIC = b"NGV1"
NONCE_BYTES = 12
SUFFIX = ".ngv"


class VaultError(Exception):
    """A sealed document could not be opened; never silently returns wrong bytes."""


class UnknownKey(VaultError):
    """The file was sealed with a key id that settings do not hold."""


class TamperedDocument(VaultError):
    """Authentication failed: the file was altered, or the key under its id is not the one used."""


@dataclass(frozen=True)
class Keyring:
    """The current key (seals and opens) and retired keys (open only), by key id."""

    current_id: str
    keys: dict[str, bytes]

    def __post_init__(self) -> None:
        if self.current_id not in self.keys:
            raise ValueError(f"the current key id {self.current_id!r} has no key")
        for key_id, key in self.keys.items():
            _check_key_id(key_id)
            if len(key) != 32:
                raise ValueError(f"key {key_id!r} is {len(key)} bytes; AES-256 needs 32")

    @classmethod
    def from_settings(cls, settings: Settings) -> Keyring:
        """The keyring from NAGRIK_DOCUMENT_KEY(_ID) and NAGRIK_DOCUMENT_OLD_KEYS."""
        keys = {settings.document_key_id: decode_key(settings.secret("document_key"), "current")}
        for item in filter(None, (part.strip() for part in settings.document_old_keys.split(","))):
            key_id, sep, value = item.partition(":")
            if not sep:
                raise ValueError(
                    "NAGRIK_DOCUMENT_OLD_KEYS must read `id:base64key,id:base64key`"
                )
            keys.setdefault(key_id.strip(), decode_key(value.strip(), key_id.strip()))
        return cls(current_id=settings.document_key_id, keys=keys)


def decode_key(value: str, key_id: str) -> bytes:
    """A key from its base64 text, with a message that says how to fix a bad one."""
    try:
        key = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError(
            f"document key {key_id!r} is not valid base64; make one with `nagrik keys generate`"
        ) from exc
    if len(key) != 32:
        raise ValueError(
            f"document key {key_id!r} is {len(key)} bytes; AES-256 needs 32 "
            "(make one with `nagrik keys generate`)"
        )
    return key


def generate_key() -> str:
    """A new random 32-byte key as base64 text."""
    return base64.b64encode(secrets.token_bytes(32)).decode()


@dataclass
class RotationReport:
    """What a rotation did: files re-sealed, files already current, and files that failed."""

    rotated: int = 0
    current: int = 0
    failed: list[str] = field(default_factory=list)


class Vault:
    """Encrypted files under one folder; paths given out are relative to it."""

    def __init__(self, root: Path, keyring: Keyring) -> None:
        self.root = root
        self.keyring = keyring

    @classmethod
    def from_settings(cls, settings: Settings) -> Vault:
        """The vault in the configured document folder with the configured keys."""
        return cls(settings.resolved_document_dir, Keyring.from_settings(settings))

    def put(self, data: bytes) -> tuple[str, str]:
        """Seal bytes under the current key into a new file; returns (relative path, key id)."""
        token = secrets.token_hex(16)
        relative = f"{token[:2]}/{token}{SUFFIX}"
        self._write_atomically(self.root / relative, self._seal(data))
        return relative, self.keyring.current_id

    def get(self, path: str) -> bytes:
        """The plain bytes of a sealed file.

        Raises:
            UnknownKey: the file names a key id that settings do not hold.
            TamperedDocument: the file is malformed, altered, or sealed with another key.
        """
        blob = self._resolve(path).read_bytes()
        key_id, header, nonce, ciphertext = _split(blob, path)
        key = self.keyring.keys.get(key_id)
        if key is None:
            raise UnknownKey(
                f"{path} is sealed with key {key_id!r}, which is not configured; "
                "add it to NAGRIK_DOCUMENT_OLD_KEYS"
            )
        try:
            return AESGCM(key).decrypt(nonce, ciphertext, header)
        except InvalidTag as exc:
            raise TamperedDocument(
                f"{path} fails authentication under key {key_id!r}: altered or wrong key"
            ) from exc

    def key_id_of(self, path: str) -> str:
        """The key id a file is sealed with, read from its header."""
        blob = self._resolve(path).read_bytes()[: len(MAGIC) + 1 + 255]
        return _parse_header(blob, path)[0]

    def delete(self, path: str) -> None:
        """Remove a sealed file if it exists."""
        self._resolve(path).unlink(missing_ok=True)

    def reseal(self, path: str) -> bool:
        """Re-seal one file under the current key, atomically; False when it already was."""
        if self.key_id_of(path) == self.keyring.current_id:
            return False
        data = self.get(path)
        self._write_atomically(self._resolve(path), self._seal(data))
        return True

    def rotate(self) -> RotationReport:
        """Re-seal every file in the vault under the current key; returns what happened."""
        report = RotationReport()
        for relative in self.paths():
            try:
                if self.reseal(relative):
                    report.rotated += 1
                else:
                    report.current += 1
            except (VaultError, OSError) as exc:
                logger.error("could not re-seal %s: %s", relative, exc)
                report.failed.append(relative)
        logger.info(
            "key rotation: %d re-sealed, %d already current, %d failed",
            report.rotated,
            report.current,
            len(report.failed),
        )
        return report

    def paths(self) -> Iterator[str]:
        """The relative path of every sealed file, in a stable order."""
        if not self.root.exists():
            return
        for path in sorted(self.root.rglob(f"*{SUFFIX}")):
            yield path.relative_to(self.root).as_posix()

    def _seal(self, data: bytes) -> bytes:
        key_id = self.keyring.current_id
        header = MAGIC + bytes([len(key_id)]) + key_id.encode("ascii")
        nonce = secrets.token_bytes(NONCE_BYTES)
        return header + nonce + AESGCM(self.keyring.keys[key_id]).encrypt(nonce, data, header)

    def _resolve(self, path: str) -> Path:
        resolved = (self.root / path).resolve()
        if not resolved.is_relative_to(self.root.resolve()):
            raise VaultError(f"{path} is outside the document folder")
        return resolved

    @staticmethod
    def _write_atomically(target: Path, blob: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        with open(temporary, "wb") as handle:
            handle.write(blob)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)


def _check_key_id(key_id: str) -> None:
    if not key_id or len(key_id) > 32 or not key_id.isascii() or not key_id.isprintable():
        raise ValueError(f"key id {key_id!r} must be 1-32 printable ASCII characters")


def _parse_header(blob: bytes, path: str) -> tuple[str, bytes]:
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 1:
        raise TamperedDocument(f"{path} is not a sealed Nagrik document")
    length = blob[len(MAGIC)]
    end = len(MAGIC) + 1 + length
    if length == 0 or len(blob) < end:
        raise TamperedDocument(f"{path} has a damaged header")
    try:
        key_id = blob[len(MAGIC) + 1 : end].decode("ascii")
    except UnicodeDecodeError as exc:
        raise TamperedDocument(f"{path} has a damaged header") from exc
    return key_id, blob[:end]


def _split(blob: bytes, path: str) -> tuple[str, bytes, bytes, bytes]:
    key_id, header = _parse_header(blob, path)
    body = blob[len(header) :]
    if len(body) < NONCE_BYTES + 16:
        raise TamperedDocument(f"{path} is truncated")
    return key_id, header, body[:NONCE_BYTES], body[NONCE_BYTES:]
