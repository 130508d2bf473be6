"""The shipped scenarios follow the format and the catalog: enough of them, valid names."""

from collections import Counter
from pathlib import Path

from evals.scenarios.loading import load_scenarios
from evals.scenarios.steps import resolve_file
from tools.catalog import load_catalog
from tools.catalog.schema import FieldType
from tools.settings import PACKAGE_ROOT
from tools.toolkit.all_tools import TOOLS

SUITE = Path(__file__).resolve().parents[2] / "evals" / "suites" / "scenarios"
AGENT_TOOLS = {"search_knowledge"}  # tools the agent adds beside the typed toolkit
CATALOG = load_catalog(PACKAGE_ROOT / "catalog")
SCENARIOS = load_scenarios([SUITE])


def test_at_least_eighty_scenarios_about_a_third_per_language():
    assert len(SCENARIOS) >= 80
    languages = Counter(s.language_of() for s in SCENARIOS)
    assert set(languages) == {"hi", "hi-Latn", "en"}
    for count in languages.values():
        assert count >= len(SCENARIOS) / 4


def test_every_service_is_covered():
    services = Counter(s.service_of(set(CATALOG.services)) for s in SCENARIOS)
    for service in CATALOG.services:
        assert services[service] >= 8, service


def test_tools_files_and_slots_exist():
    for scenario in SCENARIOS:
        for turn in scenario.turns:
            names = [t.name for t in turn.expect.tools] + turn.expect.not_tools
            assert set(names) <= set(TOOLS) | AGENT_TOOLS, (scenario.id, names)
            if turn.upload is not None:
                assert resolve_file(scenario.source, turn.upload.file).stat().st_size < 20_000
                if turn.upload.slot:
                    service = CATALOG.service(scenario.service_of(set(CATALOG.services)))
                    assert turn.upload.slot in {d.id for d in service.documents}, scenario.id


def test_final_fields_use_catalog_names_and_option_values():
    for scenario in SCENARIOS:
        seeds = scenario.fixtures.get("applications", [])
        items = scenario.final.applications + seeds
        for item in items:
            service_id = item.get("service") or next(
                (s["service"] for s in seeds if s["number"] == item.get("number")), None
            )
            if service_id is None:
                continue
            service = CATALOG.service(service_id)
            fields = {f.name: f for f in service.fields}
            for name, value in (item.get("fields") or {}).items():
                assert name in fields, (scenario.id, name)
                spec = fields[name]
                if spec.type is FieldType.CHOICE:
                    assert value in {o.value for o in spec.options}, (scenario.id, name, value)
                if spec.type is FieldType.CHOICES:
                    allowed = {o.value for o in spec.options}
                    assert set(value) <= allowed, (scenario.id, name, value)
