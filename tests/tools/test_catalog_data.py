import shutil
from datetime import date
from pathlib import Path

import pytest

from tools.catalog import Catalog, CatalogError, load_catalog
from tools.catalog.schema import FieldType, ServiceKind
from tools.eligibility import failed_rules
from tools.settings import PACKAGE_ROOT
from tools.text_normalize import fold
from tools.values import canonical_value

CATALOG_DIR = PACKAGE_ROOT / "catalog"
TODAY = date(2026, 5, 20)

EXPECTED = {
    "birth_certificate": (
        "BC",
        "mcd",
        [
            "child_name", "sex", "date_of_birth", "place_of_birth", "birth_address",
            "father_name", "mother_name", "informant_relation", "copies",
        ],
    ),
    "caste_certificate": (
        "CC",
        "revenue",
        [
            "applicant_name", "father_name", "date_of_birth", "category", "caste", "address",
            "district", "resident_since_year",
        ],
    ),
    "marriage_certificate": (
        "MC",
        "revenue",
        [
            "act", "marriage_date", "marriage_place", "husband_name", "husband_date_of_birth",
            "wife_name", "wife_date_of_birth", "address", "witness_names",
        ],
    ),
    "learner_licence": (
        "LL",
        "transport",
        ["applicant_name", "date_of_birth", "vehicle_classes", "address", "blood_group"],
    ),
    "property_tax": ("PT", "mcd", ["upic", "financial_year"]),
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(CATALOG_DIR)


def test_departments(catalog: Catalog) -> None:
    assert set(catalog.departments) == {"mcd", "revenue", "transport", "general"}
    general = [d for d in catalog.departments.values() if d.general]
    assert [d.id for d in general] == ["general"]
    numbers = [d.phone_number_id for d in catalog.departments.values()]
    assert len(set(numbers)) == 4 and all(numbers)


@pytest.mark.parametrize("service_id", sorted(EXPECTED))
def test_services_have_their_codes_and_fields(catalog: Catalog, service_id: str) -> None:
    code, department, fields = EXPECTED[service_id]

    service = catalog.service(service_id)

    assert service.code == code
    assert service.department == department
    assert [f.name for f in service.fields] == fields
    assert catalog.by_code(code) is service
    assert service.keywords


def test_property_tax_is_a_payment_without_workflow(catalog: Catalog) -> None:
    service = catalog.service("property_tax")

    assert service.kind is ServiceKind.PAYMENT
    assert service.workflow is None
    assert service.field("upic").type is FieldType.UPIC
    assert service.field("financial_year").type is FieldType.FINANCIAL_YEAR


def test_every_text_is_in_three_languages_and_hindi_is_devanagari(catalog: Catalog) -> None:
    for service in catalog.services.values():
        texts = [service.name, service.description]
        texts += [t for f in service.fields for t in (f.label, f.question)]
        texts += [o.label for f in service.fields for o in f.options]
        texts += [d.name for d in service.documents]
        for text in texts:
            assert text.hi.strip() and text.en.strip() and text.hi_latn.strip(), text
        for field in service.fields:
            assert field.example.strip(), field.name
            assert any("\u0900" <= ch <= "\u097f" for ch in field.question.hi), field.name


def test_every_choice_example_and_synonym_parses(catalog: Catalog) -> None:
    for service in catalog.services.values():
        for field in service.fields:
            canonical_value(field, field.example, TODAY)
            for option in field.options:
                for word in [option.value, *option.synonyms]:
                    assert canonical_value(field, word, TODAY) in (option.value, [option.value])


@pytest.mark.parametrize(
    ("service_id", "field", "said", "value"),
    [
        ("birth_certificate", "sex", "बेटी", "female"),
        ("birth_certificate", "sex", "ladka", "male"),
        ("birth_certificate", "place_of_birth", "nursing home", "hospital"),
        ("birth_certificate", "place_of_birth", "घर", "home"),
        ("caste_certificate", "category", "pichda varg", "OBC"),
        ("caste_certificate", "category", "अनुसूचित जाति", "SC"),
        ("marriage_certificate", "act", "court marriage", "SMA"),
        ("marriage_certificate", "act", "हिंदू विवाह अधिनियम", "HMA"),
        ("learner_licence", "vehicle_classes", "scooty, car", ["MCWOG", "LMV-NT"]),
        ("learner_licence", "vehicle_classes", "मोटरसाइकिल", ["MCWG"]),
    ],
)
def test_words_citizens_use(
    catalog: Catalog, service_id: str, field: str, said: str, value: object
) -> None:
    spec = catalog.service(service_id).field(field)

    assert canonical_value(spec, said, TODAY) == value


def test_no_word_points_to_two_options(catalog: Catalog) -> None:
    for service in catalog.services.values():
        for field in service.fields:
            seen: dict[str, str] = {}
            for option in field.options:
                label = option.label
                names = [option.value, label.hi, label.en, label.hi_latn, *option.synonyms]
                for word in {fold(name) for name in names}:
                    assert seen.setdefault(word, option.value) == option.value, (field.name, word)


def test_application_workflows(catalog: Catalog) -> None:
    standard = {"draft", "submitted", "under_review", "info_requested", "approved", "rejected",
                "cancelled"}
    for service in catalog.services.values():
        if service.kind is ServiceKind.PAYMENT:
            continue
        assert service.workflow is not None and service.certificate
        assert standard <= set(service.workflow.statuses)
        for terminal in ("approved", "rejected", "cancelled"):
            assert service.workflow.transitions[terminal] == []
    marriage = catalog.service("marriage_certificate").workflow
    assert marriage is not None
    (route,) = marriage.on_submit
    assert (route.when.field, route.when.equals, route.status, route.wait_days) == (
        "act", "SMA", "notice_period", 30
    )


def test_obc_residence_cut_off(catalog: Catalog) -> None:
    service = catalog.service("caste_certificate")

    late = failed_rules(service, {"category": "OBC", "resident_since_year": 1994}, TODAY)
    early = failed_rules(service, {"category": "OBC", "resident_since_year": 1993}, TODAY)
    scheduled_caste = failed_rules(service, {"category": "SC", "resident_since_year": 2010}, TODAY)

    assert [f.rule.id for f in late] == ["obc_delhi_cutoff"]
    assert "1993" in late[0].rule.message.hi_latn
    assert early == [] and scheduled_caste == []


def test_marriage_ages_on_the_wedding_day(catalog: Catalog) -> None:
    service = catalog.service("marriage_certificate")
    values = {
        "marriage_date": "2026-02-10",
        "husband_date_of_birth": "2005-03-01",  # 20 on the wedding day
        "wife_date_of_birth": "2008-02-10",  # 18 that very day
    }

    assert [f.rule.id for f in failed_rules(service, values, TODAY)] == ["husband_min_age"]


@pytest.mark.parametrize(
    ("born", "classes", "failed"),
    [
        ("2009-05-20", ["MC50CC"], []),
        ("2009-05-20", ["MCWOG"], ["min_age_18"]),
        ("2011-01-01", ["MC50CC"], ["min_age_16"]),
        ("2008-05-20", ["MCWG", "LMV-NT"], []),
    ],
)
def test_learner_licence_ages(
    catalog: Catalog, born: str, classes: list[str], failed: list[str]
) -> None:
    values = {"date_of_birth": born, "vehicle_classes": classes}

    broken = failed_rules(catalog.service("learner_licence"), values, TODAY)

    assert [f.rule.id for f in broken] == failed


def test_a_broken_file_names_the_file_and_the_field(tmp_path: Path) -> None:
    (tmp_path / "services").mkdir()
    shutil.copy(CATALOG_DIR / "departments.yaml", tmp_path / "departments.yaml")
    text = (CATALOG_DIR / "services" / "caste_certificate.yaml").read_text(encoding="utf-8")
    broken = text.replace("type: name", "type: nmae", 1)
    (tmp_path / "services" / "caste_certificate.yaml").write_text(broken, encoding="utf-8")

    with pytest.raises(CatalogError) as error:
        load_catalog(tmp_path)

    assert "caste_certificate.yaml" in str(error.value)
    assert "fields.0.type" in str(error.value)


DEATH_CERTIFICATE = """\
id: death_certificate
code: DC
department: mcd
name: {hi: मृत्यु प्रमाण पत्र, en: Death certificate, hi_latn: Mrityu praman patra}
description: {hi: मृत्यु का पंजीकरण।, en: Register a death., hi_latn: Mrityu ka panjikaran.}
keywords: [death certificate, mrityu praman patra, मृत्यु प्रमाण पत्र]
fields:
  - name: deceased_name
    type: name
    label: {hi: मृतक का नाम, en: Name of the deceased, hi_latn: Mritak ka naam}
    question: {hi: मृतक का नाम बताइए।, en: Please give the name., hi_latn: Mritak ka naam bataiye.}
    example: Shyam Lal
fees:
  - head: fee
    label: {hi: शुल्क, en: Fee, hi_latn: Fee}
    head_of_account: MCD/0070-BDR/fee
    rule: {kind: fixed, amount: 0}
sla_days: 7
workflow:
  statuses: [draft, submitted, approved]
  transitions: {draft: [submitted], submitted: [approved], approved: []}
"""


def test_a_sixth_service_is_just_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, folder)
    (folder / "services" / "death_certificate.yaml").write_text(DEATH_CERTIFICATE, "utf-8")

    catalog = load_catalog(folder)

    assert len(catalog.services) == 6
    assert catalog.by_code("DC") is catalog.service("death_certificate")
    assert catalog.for_department("mcd")[0].department == "mcd"


def test_texts_fit_whatsapp_buttons_and_lists(catalog: Catalog) -> None:
    # Up to three options become reply buttons (20 characters), more become list rows (24);
    # the service menu is a list whose rows have a title (24) and a description (72). More
    # than ten options (the eleven districts) fall back to numbered text, by design.
    for service in catalog.services.values():
        for language in ("hi", "en", "hi_latn"):
            assert len(getattr(service.name, language)) <= 24, (service.id, language)
            assert len(getattr(service.description, language)) <= 72, (service.id, language)
        for field in service.fields:
            limit = 20 if len(field.options) <= 3 else 24
            for option in field.options:
                for language in ("hi", "en", "hi_latn"):
                    title = getattr(option.label, language)
                    assert len(title) <= limit, (field.name, title)
