import base64

import typer
from typer.testing import CliRunner

from tools.documents.cli import register


def test_generate_prints_a_fresh_32_byte_key() -> None:
    app = typer.Typer()
    register(app)

    first = CliRunner().invoke(app, ["keys", "generate"])
    second = CliRunner().invoke(app, ["keys", "generate"])

    assert first.exit_code == 0
    assert len(base64.b64decode(first.output.strip())) == 32
    assert first.output != second.output


def test_rotate_reencrypts_stored_documents(tmp_path, monkeypatch) -> None:
    import secrets

    from sqlmodel import Session, SQLModel, select

    from tests.tools.documents.conftest import NOW, image_bytes, make_citizen
    from tools.clock import FixedClock
    from tools.db.engine import make_engine
    from tools.db.metadata import import_all_models
    from tools.db.models import Document
    from tools.documents.service import receive_document
    from tools.documents.vault import Keyring, Vault
    from tools.settings import get_settings

    old_key = secrets.token_bytes(32)
    new_key = secrets.token_bytes(32)
    import_all_models()
    engine = make_engine(f"sqlite:///{tmp_path / 'nagrik.db'}")
    SQLModel.metadata.create_all(engine)
    with Session(engine) as session:
        citizen_id = make_citizen(session)
        receive_document(
            session, Vault(tmp_path / "documents", Keyring("k1", {"k1": old_key})),
            citizen_id=citizen_id, data=image_bytes("PNG"), declared_mime=None, filename=None,
            source_message_id="wamid.9", clock=FixedClock(NOW),
        )
    monkeypatch.setenv("NAGRIK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NAGRIK_DOCUMENT_KEY", base64.b64encode(new_key).decode())
    monkeypatch.setenv("NAGRIK_DOCUMENT_KEY_ID", "k2")
    monkeypatch.setenv("NAGRIK_DOCUMENT_OLD_KEYS", f"k1:{base64.b64encode(old_key).decode()}")
    get_settings.cache_clear()
    app = typer.Typer()
    register(app)
    try:
        result = CliRunner().invoke(app, ["keys", "rotate"])
    finally:
        get_settings.cache_clear()

    assert result.exit_code == 0, result.output
    assert "1 re-encrypted, 0 already current, 0 failed" in result.output
    with Session(engine) as session:
        assert [d.key_id for d in session.exec(select(Document)).all()] == ["k2"]
