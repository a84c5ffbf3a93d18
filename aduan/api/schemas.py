"""The API's typed bodies (pydantic); FastAPI builds /openapi.json from them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic.config import JsonDict, JsonValue

from complaints.model import AuditKind
from complaints.taxonomy import Category, Maladministration, PrivacyMode, ReportType, Status, Weight
from complaints.workflow import NOTE_REQUIRED

MAX_DESCRIPTION = 4096
OPEN311_MAX_DESCRIPTION = 4000  # GeoReport v2's limit on a request's description
MAX_MEDIA_URL = 2000
MAX_NOTE = 2000
MAX_NAME = 100
# Unit, officer and channel ids as the organisation file and the channels write them
ID_PATTERN = r"^[A-Za-z0-9_.:-]{1,64}$"


# --- errors --------------------------------------------------------------------------------

class ErrorDetail(BaseModel):
    code: str = Field(description="Stable identifier, e.g. not_found, invalid_request, rate_limited.")
    message: str = Field(description="What went wrong, in Indonesian.")


class ErrorBody(BaseModel):
    """Every /api/v1 error (and every error outside /open311)."""

    error: ErrorDetail

    @classmethod
    def of(cls, code: str, message: str) -> ErrorBody:
        return cls(error=ErrorDetail(code=code, message=message))


class Open311Error(BaseModel):
    """GeoReport v2 errors come as a list of these."""

    code: int = Field(description="The HTTP status.")
    description: str


# --- Open311 GeoReport v2 --------------------------------------------------------------------

class Open311Service(BaseModel):
    service_code: str = Field(description="The complaint category code (TAXONOMY.md).")
    service_name: str
    description: str
    metadata: bool = Field(description="True: services/{service_code}.json describes the attributes to fill "
                                       "in (the privacy choice among them).")
    type: Literal["realtime", "batch", "blackbox"]
    keywords: str = Field(description="Comma-separated.")
    group: str = Field(description="The unit that usually handles it.")


class Open311Request(BaseModel):
    """A service request as the caller may read it (complaints.visibility): staff keys read
    the handling unit's view; the public (a public key, no key) reads no personal data, and
    the point only of an openly filed (biasa) complaint about a public place, rounded to 3
    decimals (about 110 m); the key that filed the request reads back its exact point."""

    service_request_id: str = Field(description="The tracking code, e.g. LPR-7KQ3-MN.")
    status: Literal["open", "closed"]
    status_notes: str | None = Field(
        description="The latest note an officer wrote for the complainant, without personal data for the "
                    "public (names, phone numbers, e-mail addresses, NIK redacted); a closed request starts "
                    "with its outcome in Indonesian (selesai, ditutup, disalurkan, ditolak), alone when there "
                    "is no note the caller may read.")
    aduan_status: Status = Field(
        description="Extension: the complaint's precise status (TAXONOMY.md), e.g. selesai, ditolak or "
                    "disalurkan for a closed request.")
    service_name: str
    service_code: str
    description: str | None = Field(description="Redacted of personal data for the public; null (withheld) for "
                                                "the public when the complaint was filed rahasia or anonim.")
    agency_responsible: str | None
    service_notice: str | None
    requested_datetime: datetime
    updated_datetime: datetime | None
    expected_datetime: datetime | None = Field(
        description="When the request is expected to be fulfilled: the complaint's resolution target "
                    "(moved later by the time spent waiting for the complainant); null once closed.")
    address: str | None = Field(
        description="The area (kelurahan, kecamatan); the full address only for staff. A complaint located "
                    "by a point only: the deployment's area (e.g. Kota Surabaya).")
    address_id: str | None = Field(description="The filer's own id of the address, as sent; staff and the "
                                               "filing key only.")
    zipcode: str | None
    lat: float | None = Field(description="Staff and the filing key: exact; the public: rounded to 3 decimals, "
                                          "biasa complaints about public places only.")
    long: float | None = Field(description="As lat.")
    media_url: str | None = Field(description="The picture's address sent with the request (never fetched by "
                                              "the server); for the public under the same rule as lat/long.")


def not_a_boolean(value: object) -> object:
    """JSON's true/false is not a coordinate (pydantic would read it as 1 or 0)."""
    if isinstance(value, bool):
        raise ValueError("a coordinate is a number")
    return value


WEB_ADDRESS = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\s/?#]+\S*$"


def web_address(value: str | None) -> str | None:
    """An http(s) URL with a host, nothing but printable characters in it."""
    if value is None:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. an unclosed [IPv6 host
        raise ValueError("not an http(s) address") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or not value.isprintable() \
            or any(ch.isspace() for ch in value):
        raise ValueError("not an http(s) address")
    return value


class Open311NewRequest(BaseModel):
    """POST requests.json, as a form (GeoReport v2) or as JSON. Give lat and long, or
    address_string. ``attribute[privacy]``: biasa (identity visible to the handling unit),
    rahasia (identity kept but never shown), anonim (no identity kept); default biasa when
    a name is given, else anonim."""

    model_config = ConfigDict(
        extra="ignore",
        populate_by_name=True,
        json_schema_extra={
            "anyOf": [{"required": ["lat", "long"]}, {"required": ["address_string"]}],
            "dependentRequired": {"lat": ["long"], "long": ["lat"]},
        },
    )

    api_key: str | None = Field(default=None, max_length=200)
    service_code: Category = Field(description="A service_code of services.json.")
    description: str = Field(min_length=3, max_length=OPEN311_MAX_DESCRIPTION, pattern=r"[^\W\d_]",
                             description="What happened, in a sentence or two (with letters, not only numbers).")
    lat: Annotated[float | None, BeforeValidator(not_a_boolean),
                   WithJsonSchema({"type": "number", "minimum": -90, "maximum": 90})] = None
    long: Annotated[float | None, BeforeValidator(not_a_boolean),
                    WithJsonSchema({"type": "number", "minimum": -180, "maximum": 180})] = None
    address_string: str | None = Field(default=None, min_length=1, max_length=500)
    email: str | None = Field(default=None, max_length=254)
    first_name: str | None = Field(default=None, max_length=MAX_NAME)
    last_name: str | None = Field(default=None, max_length=MAX_NAME)
    phone: str | None = Field(default=None, max_length=32)
    privacy: Literal["biasa", "rahasia", "anonim"] | None = Field(default=None, alias="attribute[privacy]")
    media_url: Annotated[str | None, AfterValidator(web_address)] = Field(
        default=None, max_length=MAX_MEDIA_URL, json_schema_extra={"pattern": WEB_ADDRESS},
        description="A picture's http(s) address: kept and shown as given, never fetched by the server.")
    address_id: str | None = Field(default=None, min_length=1, max_length=255,
                                   description="The client's own id of the address, kept as given.")


class Open311Created(BaseModel):
    service_request_id: str
    service_notice: str | None
    account_id: str | None


class Open311Value(BaseModel):
    key: str = Field(description="What to send, e.g. attribute[privacy]=rahasia.")
    name: str = Field(description="What a person reads, in Indonesian.")


class Open311Attribute(BaseModel):
    """One attribute of a service definition, sent back as ``attribute[code]``."""

    variable: bool = Field(description="True: the client asks it; false: information only.")
    code: str
    datatype: Literal["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
    required: bool
    datatype_description: str | None
    order: int = Field(ge=1)
    description: str = Field(description="The question, in Indonesian.")
    values: list[Open311Value] = Field(description="The choices of a (single or multi) value list.")


class Open311ServiceDefinition(BaseModel):
    service_code: str
    attributes: list[Open311Attribute]


class Open311Endpoint(BaseModel):
    specification: str = Field(description="http://wiki.open311.org/GeoReport_v2")
    url: str = Field(description="The base URL of the endpoint, e.g. https://aduan.example.go.id/open311/v2.")
    changeset: datetime
    type: Literal["production", "test"]
    formats: list[str] = Field(description="Media types: text/xml and application/json.")


class Open311Discovery(BaseModel):
    """GeoReport v2 service discovery (wiki.open311.org/Service_Discovery)."""

    changeset: datetime = Field(description="When the services or their definitions last changed.")
    contact: str
    key_service: str = Field(description="How to obtain an API key.")
    endpoints: list[Open311Endpoint]


# --- /api/v1 -------------------------------------------------------------------------------

View = Literal["public", "staff"]


class UnitRef(BaseModel):
    id: str
    name: str


class OfficerRef(BaseModel):
    id: str
    name: str | None


class Deadlines(BaseModel):
    stage_due_at: datetime | None = Field(description="Deadline of the current stage.")
    resolve_due_at: datetime | None = Field(description="Resolution target of the whole complaint.")
    overdue: bool
    paused_since: datetime | None = Field(description="The clock stops while waiting for the complainant.")


class Escalation(BaseModel):
    level: int = Field(description="0 none, 1 reminder, 2 supervisor, 3 head.")
    next_at: datetime | None


class Rating(BaseModel):
    satisfied: bool | None
    skm_score: int | None = Field(description="SKM 1-4.")
    rated_at: datetime | None
    reopen_count: int


class ComplainantView(BaseModel):
    """Only in the staff view of a complaint filed openly (privacy biasa)."""

    name: str | None
    phone: str | None
    email: str | None


class HistoryEntry(BaseModel):
    """One audit entry. The public view lists filing and status changes only, without the
    facts below (null); the staff view every entry with its facts."""

    at: datetime
    action: AuditKind = Field(description="What the entry records.")
    label: str = Field(description="The same, in Indonesian, from the facts the reader may see.")
    from_status: Status | None
    to_status: Status | None
    note: str = Field(description="What a person wrote: the officer's note, the complainant's answer.")
    actor: str | None = Field(description="Officer id or bot; 'pelapor' for the complainant; staff view only.")
    level: int | None = Field(description="escalated: 1 reminder, 2 supervisor, 3 head.")
    unit: UnitRef | None = Field(description="escalated: the unit whose stage it was; didisposisikan: the unit "
                                             "it went to; an entry that started a stage (filing, disposing, "
                                             "reopening): whose stage it is.")
    from_unit: UnitRef | None = Field(description="didisposisikan to another unit (re-routing): the unit before.")
    due_at: datetime | None = Field(description="escalated: the deadline reminded of or missed; an entry that "
                                               "started a stage: that stage's deadline, as recorded then.")
    officers: list[str] | None = Field(description="escalated: the officers told.")
    officer: OfficerRef | None = Field(description="assigned: the officer who took or was given the case.")
    satisfied: bool | None = Field(description="Leaving selesai: the complainant's rating (puas / tidak puas).")
    skm_score: int | None = Field(description="rated: the SKM score, 1-4.")


class ComplaintSummary(BaseModel):
    view: View = Field(description="public: no content or identity; staff: the handling unit's view.")
    code: str
    status: Status
    status_label: str
    category: Category
    category_label: str
    unit: UnitRef | None
    area: str | None
    channel: str | None = Field(description="Staff view only.")
    created_at: datetime
    updated_at: datetime | None
    due_at: datetime | None
    overdue: bool
    supporters: int = Field(ge=0, description="How many citizens support the complaint besides its complainant "
                                              "(those who chose to support it, and the complainants of the "
                                              "duplicates merged into it).")


class ComplaintDetail(ComplaintSummary):
    description: str | None
    report_type: ReportType | None
    weight: Weight | None
    maladministration: Maladministration | None
    address: str | None
    latitude: float | None
    longitude: float | None
    event_date: date | None
    agency: str | None
    late_filing: bool
    privacy: PrivacyMode | None
    complainant: ComplainantView | None
    assignee: OfficerRef | None
    escalation: Escalation | None
    deadlines: Deadlines
    rating: Rating | None
    history: list[HistoryEntry]


class ComplaintPage(BaseModel):
    items: list[ComplaintSummary]
    total: int = Field(description="How many complaints match the filters.")
    page: int
    page_size: int
    next: str | None = Field(description="URL of the next page, or null on the last one.")


# the statuses whose change the complainant must read a reason for
_STATUSES: list[JsonValue] = [s.value for s in sorted(NOTE_REQUIRED, key=lambda s: s.value)]
_NOTE: list[JsonValue] = ["note"]
NOTE_REQUIRED_SCHEMA: JsonDict = {
    "if": {"properties": {"status": {"enum": _STATUSES}}},
    "then": {"required": _NOTE, "properties": {"note": {"pattern": "\\S"}}},
}


class StatusChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=NOTE_REQUIRED_SCHEMA)

    status: Status
    note: str = Field(default="", max_length=MAX_NOTE, description="What the complainant will read.")
    unit: str | None = Field(default=None, pattern=ID_PATTERN, description="With didisposisikan: another unit.")
    spam: bool = Field(default=False, description="With ditolak: rejected as spam or a prank (the admin); such "
                                                  "a case is left out of the unit's deadline figures.")


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    into: str = Field(min_length=1, max_length=64, description="The tracking code of the complaint kept, e.g. "
                                                               "LPR-7KQ3-MN (the same problem, reported first).")


class MergeOut(ComplaintDetail):
    """The duplicate as the caller may see it, and the complaint kept."""

    kept: str = Field(description="The tracking code of the complaint kept: the one the duplicate was merged into "
                                  "(after an unmerge: the one it was merged into until then).")


class AssignmentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    officer: str = Field(pattern=ID_PATTERN, description="Officer id from the organisation file.")


class Health(BaseModel):
    status: str
