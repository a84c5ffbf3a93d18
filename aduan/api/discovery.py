"""What a generic GeoReport v2 client reads before filing: each service's definition (the
attributes to fill in: the privacy choice, read back as ``attribute[privacy]`` by
schemas.Open311NewRequest) and the discovery document at /open311/discovery.json|.xml
(wiki.open311.org/Service_Discovery): where the endpoint is, its formats, whom to ask.

The discovery's ``changeset`` says when the services or their definitions last changed:
the server's start (a new version may change them) or, when later, the organisation
file's last change (its units are the services' groups).
"""

from datetime import UTC, datetime
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response

from bot import texts
from complaints.taxonomy import Category, PrivacyMode

from ..live import signature
from .context import ApiContext
from .schemas import Open311Attribute, Open311Discovery, Open311Endpoint, Open311ServiceDefinition, Open311Value
from .xml import ResponseFormat, respond
from .xml import discovery as discovery_xml

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
ENDPOINT_PATH = "/open311/v2"
FORMATS = ("text/xml", "application/json")  # XML_TYPE and JSON_TYPE, without their charset
PRIVACY = "privacy"  # attribute[privacy] in a POST


def service_definition(category: Category) -> Open311ServiceDefinition:
    """The attributes of ``category``'s requests: the privacy choice (no category has
    attributes of its own yet)."""
    privacy = Open311Attribute(
        variable=True,
        code=PRIVACY,
        datatype="singlevaluelist",
        required=False,
        datatype_description=texts.OPEN311_PRIVACY_HINT,
        order=1,
        description=texts.OPEN311_PRIVACY_QUESTION,
        values=[Open311Value(key=mode.value, name=texts.OPEN311_PRIVACY_CHOICES[mode]) for mode in PrivacyMode],
    )
    return Open311ServiceDefinition(service_code=category.value, attributes=[privacy])


def changeset(started: datetime, organisation_file: Path | None) -> datetime:
    """When what the services say last changed, as far as the server can tell."""
    seen = signature(organisation_file) if organisation_file is not None else None
    if seen is None:
        return started
    changed = datetime.fromtimestamp(seen[0] / 1e9, UTC).replace(microsecond=0)
    return max(started, changed.astimezone(started.tzinfo))


def router(ctx: ApiContext, started: datetime) -> APIRouter:
    api = APIRouter(prefix="/open311", tags=["Open311 GeoReport v2"])
    settings = ctx.app.settings

    @api.get("/discovery.xml", include_in_schema=False)
    @api.get("/discovery.json", response_model=Open311Discovery,
             summary="Service discovery: the endpoint, its formats, contact (also discovery.xml, as XML)")
    async def discovery(fmt: ResponseFormat) -> Response:
        org = ctx.app.org
        changed = changeset(started, ctx.app.organisation.path)
        document = Open311Discovery(
            changeset=changed,
            contact=settings.open311_contact or texts.OPEN311_CONTACT.format(org=org.name, url=settings.public_url),
            key_service=texts.OPEN311_KEY_SERVICE.format(org=org.name),
            endpoints=[Open311Endpoint(specification=SPECIFICATION, url=settings.public_url + ENDPOINT_PATH,
                                       changeset=changed, type="production",
                                       formats=list(FORMATS))],
        )
        return respond(fmt, document, discovery_xml)

    return api
