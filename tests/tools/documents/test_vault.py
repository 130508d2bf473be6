import base64
import secrets
from pathlib import Path

import pytest

from tests.tools.documents.conftest import make_keyring
from tools.documents.vault import (
    MAGIC,
    Keyring,
    TamperedDocument,
    UnknownKey,
    Vault,
    decode_key,
)
from tools.settings import Settings


def test_round_trip_and_nothing_plain_on_disk(vault: Vault) -> None:
    data = b"Mother's Name: Smt. Kavita Jain " * 20

    path, key_id = vault.put(data)

    assert key_id == "k1"
    sealed = (vault.root / path).read_bytes()
    assert sealed.startswith(MAGIC)
    assert b"Kavita" not in sealed
    assert vault.get(path) == data


def test_each_file_gets_its_own_nonce(vault: Vault) -> None:
    first, _ = vault.put(b"same bytes")
    second, _ = vault.put(b"same bytes")

    assert (vault.root / first).read_bytes() != (vault.root / second).read_bytes()


def test_a_tampered_file_fails_loudly(vault: Vault) -> None:
    path, _ = vault.put(b"hospital slip bytes")
    target = vault.root / path
    blob = bytearray(target.read_bytes())
    blob[-5] ^= 0x01
    target.write_bytes(bytes(blob))

    with pytest.raises(TamperedDocument):
        vault.get(path)


def test_a_relabelled_key_id_fails_loudly(tmp_path: Path) -> None:
    keyring = make_keyring("k1", k2=secrets.token_bytes(32))
    vault = Vault(tmp_path, keyring)
    path, _ = vault.put(b"secret")
    target = tmp_path / path
    target.write_bytes(target.read_bytes().replace(b"\x02k1", b"\x02k2", 1))

    with pytest.raises(TamperedDocument):
        vault.get(path)


def test_a_wrong_key_under_the_same_id_fails_loudly(tmp_path: Path) -> None:
    path, _ = Vault(tmp_path, make_keyring("k1")).put(b"secret")

    with pytest.raises(TamperedDocument):
        Vault(tmp_path, make_keyring("k1")).get(path)


def test_an_unknown_key_id_says_what_to_configure(tmp_path: Path) -> None:
    path, _ = Vault(tmp_path, make_keyring("old")).put(b"secret")

    with pytest.raises(UnknownKey, match="NAGRIK_DOCUMENT_OLD_KEYS"):
        Vault(tmp_path, make_keyring("new")).get(path)


def test_rotation_reseals_every_file_under_the_current_key(tmp_path: Path) -> None:
    old_key = secrets.token_bytes(32)
    old_vault = Vault(tmp_path, Keyring("k1", {"k1": old_key}))
    paths = [old_vault.put(f"doc {i}".encode())[0] for i in range(3)]

    new_vault = Vault(tmp_path, make_keyring("k2", k1=old_key))
    report = new_vault.rotate()

    assert (report.rotated, report.current, report.failed) == (3, 0, [])
    assert [new_vault.key_id_of(p) for p in paths] == ["k2", "k2", "k2"]
    assert [new_vault.get(p) for p in paths] == [b"doc 0", b"doc 1", b"doc 2"]
    assert not list(tmp_path.rglob("*.tmp"))
    # The retired key alone no longer opens them.
    with pytest.raises(UnknownKey):
        old_vault.get(paths[0])
    assert new_vault.rotate().current == 3


def test_keyring_from_settings_reads_old_keys() -> None:
    old = base64.b64encode(secrets.token_bytes(32)).decode()
    settings = Settings(document_key_id="k2", document_old_keys=f"k1:{old}")

    keyring = Keyring.from_settings(settings)

    assert keyring.current_id == "k2"
    assert set(keyring.keys) == {"k1", "k2"}


def test_bad_keys_are_refused_with_a_fix() -> None:
    with pytest.raises(ValueError, match="nagrik keys generate"):
        decode_key(base64.b64encode(b"short").decode(), "k1")
    with pytest.raises(ValueError, match="base64"):
        decode_key("not base64 !!", "k1")
