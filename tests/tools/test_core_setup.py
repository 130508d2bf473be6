"""Settings, migrations, tool schemas and the CLI of the application core."""

import shutil

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import Session, SQLModel, select
from typer.testing import CliRunner

from nagrik_cli.main import app
from tests.tools.factories import CATALOG_DIR, make_runtime
from tools.db import migrate
from tools.db.engine import make_engine
from tools.db.metadata import import_all_models
from tools.db.models import Citizen, Property, PropertyYearPaid
from tools.settings import Mode, Settings
from tools.toolkit.registry import TOOLS, openai_tool_schemas

SIXTH = """
id: death_certificate
code: DC
department: mcd
name: {hi: मृत्यु प्रमाण पत्र, en: Death certificate, hi_latn: Mrityu praman patra}
description: {hi: मृत्यु का पंजीकरण।, en: Register a death., hi_latn: Mrityu ka panjikaran.}
fields:
  - name: deceased_name
    type: name
    label: {hi: मृतक का नाम, en: Name of the deceased, hi_latn: Mritak ka naam}
    question: {hi: "मृतक का नाम?", en: "Name of the deceased?", hi_latn: "Mritak ka naam?"}
    example: Ram Lal
sla_days: 7
workflow:
  statuses: [draft, submitted, cancelled]
  transitions: {draft: [submitted, cancelled], submitted: [], cancelled: []}
"""


def test_development_mode_fills_secrets_with_marked_values():
    settings = Settings(mode=Mode.DEVELOPMENT)
    assert settings.secret("whatsapp_app_secret").startswith("dev-only-")


def test_production_refuses_missing_and_placeholder_secrets(monkeypatch):
    with pytest.raises(ValueError, match="NAGRIK_WHATSAPP_APP_SECRET is not set"):
        Settings(mode=Mode.PRODUCTION)
    with pytest.raises(ValueError, match="placeholder"):
        Settings(mode=Mode.PRODUCTION, whatsapp_app_secret="changeme",
                 **{name: "a-real-long-secret-value" for name in (
                     "whatsapp_verify_token", "whatsapp_access_token", "document_key",
                     "signing_key", "officer_token", "editor_token", "sandbox_webhook_secret")})


def test_production_accepts_real_secrets():
    secrets = {name: f"real-secret-{index}-x7Q" for index, name in enumerate((
        "whatsapp_app_secret", "whatsapp_verify_token", "whatsapp_access_token", "document_key",
        "signing_key", "officer_token", "editor_token", "sandbox_webhook_secret"))}
    assert Settings(mode=Mode.PRODUCTION, **secrets).mode is Mode.PRODUCTION


def test_worker_threads_follow_the_policy_unless_set():
    assert Settings(policy="offline").resolved_worker_concurrency == 2
    assert Settings(policy="llm").resolved_worker_concurrency == 8
    assert Settings(policy="llm", worker_concurrency=3).resolved_worker_concurrency == 3
    with pytest.raises(ValueError):
        Settings(worker_concurrency=0)


def test_migrations_build_exactly_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    migrate.upgrade(url)
    import_all_models()
    with make_engine(url).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection),
                                       SQLModel.metadata)
    assert differences == []
    assert migrate.current(url) is not None


def test_every_tool_has_a_schema_with_a_description():
    runtime_catalog = make_runtime.__globals__["load_catalog"](CATALOG_DIR)
    schemas = {s["function"]["name"]: s["function"] for s in openai_tool_schemas(runtime_catalog)}
    assert set(schemas) == set(TOOLS)
    for name, schema in schemas.items():
        assert schema["description"], name
        assert "idempotency_key" not in schema["parameters"].get("properties", {}), name
    for required in ("list_services", "describe_service", "start_application",
                     "set_application_fields", "upload_document", "submit_application",
                     "check_status", "cancel_application", "get_property_tax_due",
                     "create_payment", "get_receipt", "request_human_help"):
        assert required in schemas


def test_a_sixth_service_appears_in_list_services_and_tool_schemas(tmp_path):
    catalog_dir = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, catalog_dir)
    (catalog_dir / "services" / "death_certificate.yaml").write_text(SIXTH, encoding="utf-8")
    runtime = make_runtime(tmp_path, catalog_dir=catalog_dir)
    listed = runtime.call("919810000001", "list_services", {}).result.services
    assert "death_certificate" in [s.id for s in listed]
    schema = next(s for s in openai_tool_schemas(runtime.catalog)
                  if s["function"]["name"] == "start_application")
    assert "death_certificate" in schema["function"]["parameters"]["properties"]["service_id"][
        "enum"]
    started = runtime.call("919810000001", "start_application",
                           {"service_id": "death_certificate"}, idempotency_key="k")
    assert started.result.application.number == "DC-2026-000001"


def test_cli_services_db_upgrade_and_seed(tmp_path, monkeypatch):
    monkeypatch.setenv("NAGRIK_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COLUMNS", "200")
    from tools.settings import get_settings

    get_settings.cache_clear()
    runner = CliRunner()
    try:
        listed = runner.invoke(app, ["services"])
        assert listed.exit_code == 0, listed.output
        assert "birth_certificate" in listed.output and "property_tax" in listed.output

        upgraded = runner.invoke(app, ["db", "upgrade"])
        assert upgraded.exit_code == 0, upgraded.output
        seeded = runner.invoke(app, ["db", "seed"])
        assert seeded.exit_code == 0, seeded.output
        again = runner.invoke(app, ["db", "seed"])
        assert "0 citizens added" in again.output
    finally:
        get_settings.cache_clear()

    engine = make_engine(f"sqlite:///{tmp_path / 'nagrik.db'}")
    with Session(engine) as session:
        assert len(session.exec(select(Citizen)).all()) == 3
        assert len(session.exec(select(Property)).all()) == 3
        assert session.exec(select(PropertyYearPaid)).all()
