"""Pydantic models of a catalog file: a service, its fields, documents, fees, rules, workflow."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Strict(BaseModel):
    """A catalog model that rejects unknown keys, so a typo in a file is an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class LocalText(Strict):
    """A text in Hindi (Devanagari), English, and Hinglish (Hindi in Latin letters)."""

    hi: str
    en: str
    hi_latn: str

    def in_language(self, language: str) -> str:
        """The text for a language code: `hi`, `en` or `hi-Latn`."""
        if language == "hi":
            return self.hi
        if language == "hi-Latn":
            return self.hi_latn
        return self.en


class FieldType(StrEnum):
    """How a field's value is parsed and stored."""

    TEXT = "text"  # free text, stored as typed
    NAME = "name"  # a person's name, stored as typed, in the citizen's script
    DATE = "date"  # ISO YYYY-MM-DD
    CHOICE = "choice"  # one of `options`, stored by option value
    CHOICES = "choices"  # a list of option values
    INTEGER = "integer"
    YEAR = "year"  # a calendar year, integer
    UPIC = "upic"  # MCD's 15-character unique property id
    FINANCIAL_YEAR = "financial_year"  # 2026-27
    NAMES = "names"  # a list of names, such as witnesses


class Option(Strict):
    """One allowed value of a choice field, with the words citizens use for it."""

    value: str
    label: LocalText
    synonyms: list[str] = Field(default_factory=list)


class Validation(Strict):
    """Limits on a field's value; which apply depends on the field type."""

    min: int | None = None
    max: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    not_future: bool = False
    min_items: int | None = None
    max_items: int | None = None


class FieldSpec(Strict):
    """One piece of information the service needs from the citizen."""

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: FieldType
    required: bool = True
    label: LocalText
    question: LocalText
    example: str
    options: list[Option] = Field(default_factory=list)
    validation: Validation = Validation()
    ask_when: Condition | None = None

    @model_validator(mode="after")
    def _choices_have_options(self) -> FieldSpec:
        choice = self.type in (FieldType.CHOICE, FieldType.CHOICES)
        if choice and not self.options:
            raise ValueError(f"field {self.name!r} is a {self.type.value} field without options")
        if not choice and self.options:
            raise ValueError(f"field {self.name!r} has options but is of type {self.type.value}")
        return self


class Condition(Strict):
    """A test on one field's stored value; all given tests must hold."""

    field: str
    equals: str | int | None = None
    any_of: list[str] | None = Field(default=None, alias="in")
    has_other_than: list[str] | None = Field(
        default=None, description="For list fields: holds a value outside this list."
    )


class DocumentCheck(Strict):
    """A field that a document's OCR text is compared with."""

    field: str
    kind: Literal["name", "date", "number", "text"] = "name"


MediaKind = Literal["image", "pdf"]
ANY_MEDIA: tuple[MediaKind, ...] = ("image", "pdf")


class DocumentSpec(Strict):
    """A document the citizen sends as a photo or a PDF."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: LocalText
    accepted: list[MediaKind] = Field(default_factory=lambda: list(ANY_MEDIA))
    optional: bool = False
    alternatives: list[str] = Field(
        default_factory=list, description="Other document ids, any of which also fills this slot."
    )
    required_when: Condition | None = None
    examples: LocalText | None = None
    checks: list[DocumentCheck] = Field(default_factory=list)
    read_text: bool = Field(
        default=True,
        description="OCR reads it; false for photographs and signatures, which hold no text.",
    )


class FixedFee(Strict):
    """A flat amount."""

    kind: Literal["fixed"]
    amount: int = Field(ge=0, description="Rupees.")


class OptionFee(Strict):
    """An amount chosen by the value of a choice field."""

    kind: Literal["by_option"]
    field: str
    amounts: dict[str, int]


class PerUnitFee(Strict):
    """An amount per unit of an integer field or per item of a list field."""

    kind: Literal["per_unit"]
    field: str
    amount: int = Field(ge=0)
    free_units: int = Field(default=0, ge=0)


class DelaySlab(Strict):
    """An amount that applies up to a number of days of delay (none: any delay)."""

    up_to_days: int | None = None
    amount: int = Field(ge=0)


class DelayFee(Strict):
    """An amount by the days between a date field and the day of application."""

    kind: Literal["by_delay"]
    field: str
    slabs: list[DelaySlab] = Field(min_length=1)


class PropertyTaxFee(Strict):
    """Property tax computed from the property register and the tariff file."""

    kind: Literal["property_tax"]


FeeRule = Annotated[
    FixedFee | OptionFee | PerUnitFee | DelayFee | PropertyTaxFee, Field(discriminator="kind")
]


class FeeComponent(Strict):
    """One line of what the citizen pays, booked to a head of account."""

    head: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: LocalText
    head_of_account: str
    rule: FeeRule


class MinAgeCheck(Strict):
    """A person must be at least `years` old on a date field's day, or on the day of applying."""

    kind: Literal["min_age"]
    field: str
    years: int
    on_field: str | None = None


class MaxValueCheck(Strict):
    """An integer field must not exceed a value."""

    kind: Literal["max_value"]
    field: str
    value: int


RuleCheck = Annotated[MinAgeCheck | MaxValueCheck, Field(discriminator="kind")]


class EligibilityRule(Strict):
    """A condition of eligibility; when it fails the citizen is told `message` and refused."""

    id: str
    when: Condition | None = None
    check: RuleCheck
    message: LocalText


class SubmitRoute(Strict):
    """A status other than `submitted` that a submission goes to when a condition holds."""

    when: Condition
    status: str
    wait_days: int | None = None
    message: LocalText | None = None


class Workflow(Strict):
    """The statuses an application passes through and which may follow which."""

    statuses: list[str]
    transitions: dict[str, list[str]]
    on_submit: list[SubmitRoute] = Field(default_factory=list)

    @model_validator(mode="after")
    def _closed(self) -> Workflow:
        known = set(self.statuses)
        for source, targets in self.transitions.items():
            unknown = {source, *targets} - known
            if unknown:
                raise ValueError(f"transitions name unknown statuses: {sorted(unknown)}")
        for route in self.on_submit:
            if route.status not in known:
                raise ValueError(f"on_submit names unknown status {route.status!r}")
        return self


class ServiceKind(StrEnum):
    """An application that an officer decides, or a payment with no workflow."""

    APPLICATION = "application"
    PAYMENT = "payment"


class Service(Strict):
    """One government service, as its catalog file describes it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    code: str = Field(pattern=r"^[A-Z]{2,4}$")
    kind: ServiceKind = ServiceKind.APPLICATION
    name: LocalText
    description: LocalText
    department: str
    keywords: list[str] = Field(default_factory=list, description="Words citizens use for it.")
    fields: list[FieldSpec]
    documents: list[DocumentSpec] = Field(default_factory=list)
    fees: list[FeeComponent] = Field(default_factory=list)
    rules: list[EligibilityRule] = Field(default_factory=list)
    sla_days: int | None = Field(default=None, ge=0)
    workflow: Workflow | None = None
    certificate: bool = Field(default=False, description="An approval issues a certificate.")

    @model_validator(mode="after")
    def _consistent(self) -> Service:
        names = [f.name for f in self.fields]
        if len(names) != len(set(names)):
            raise ValueError("field names repeat")
        doc_ids = [d.id for d in self.documents]
        if len(doc_ids) != len(set(doc_ids)):
            raise ValueError("document ids repeat")
        referenced = [c.field for c in self._conditions()]
        referenced += [getattr(fee.rule, "field", None) or names[0] for fee in self.fees]
        for rule in self.rules:
            referenced += [rule.check.field]
            if isinstance(rule.check, MinAgeCheck) and rule.check.on_field:
                referenced.append(rule.check.on_field)
        unknown = sorted(set(referenced) - set(names))
        if unknown:
            raise ValueError(f"unknown fields referenced: {unknown}")
        for doc in self.documents:
            missing = set(doc.alternatives) - set(doc_ids)
            if missing:
                raise ValueError(
                    f"document {doc.id!r} names unknown alternatives {sorted(missing)}"
                )
        if self.kind is ServiceKind.APPLICATION and self.workflow is None:
            raise ValueError("an application service needs a workflow")
        return self

    def _conditions(self) -> list[Condition]:
        found = [f.ask_when for f in self.fields if f.ask_when]
        found += [d.required_when for d in self.documents if d.required_when]
        found += [r.when for r in self.rules if r.when]
        if self.workflow:
            found += [route.when for route in self.workflow.on_submit]
        return found

    def field(self, name: str) -> FieldSpec:
        """The field of that name; KeyError when there is none."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    def document(self, doc_id: str) -> DocumentSpec:
        """The document of that id; KeyError when there is none."""
        for spec in self.documents:
            if spec.id == doc_id:
                return spec
        raise KeyError(doc_id)


class Department(Strict):
    """A department, its names, and the WhatsApp number it answers on."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: LocalText
    phone_number_id: str | None = None
    display_phone_number: str | None = None
    general: bool = Field(default=False, description="The general number offers every service.")


FieldSpec.model_rebuild()
