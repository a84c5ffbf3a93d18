"""A location the citizen shares: the place of a draft, or the start of one.

The point is kept with the shared place's name and address, as the channel sent them
("Puskesmas Tambaksari, Jl. Pacar Keling No. 5"), as the place's detail when the draft has
none yet: the summary shows it, the complaint keeps it. A point the bot cannot use is said
plainly and changes nothing, and the question that waits is asked again:

- 0,0 (a phone without a fix sends it) or coordinates out of range: not a valid point;
- a point outside the deployment's area (``Organisation.area``, a box of latitudes and
  longitudes from the organisation file), or abroad when the file gives no area (a
  rough box around Indonesia): we cannot take it.

The region data has no geometry, so the area is configured, not derived; a typed place
outside the region is offered to be forwarded (Step.OUTSIDE), but a bare point names no
regency to forward it to, so it is refused like a point abroad.
"""

from __future__ import annotations

from complaints.org import Organisation
from complaints.similarity import Box

from . import texts
from .draft import Draft, PlaceDraft
from .intake import Intake
from .render.labels import shorten
from .resume import repeat
from .sanitize import clean_text, coordinates
from .state import Asking
from .turn import Turn

# Indonesia from Sabang to Merauke, Miangas to Rote, with a margin: what "abroad" means
# when the organisation file gives no area (coarse: Singapore and Timor-Leste lie inside)
INDONESIA = Box(south=-11.5, north=6.5, west=94.5, east=141.5)
MAX_PLACE_CHARS = 200  # the name and address as shown on the summary


def inside(box: Box, point: tuple[float, float]) -> bool:
    latitude, longitude = point
    return box.south <= latitude <= box.north and box.west <= longitude <= box.east


def outside_of(org: Organisation, point: tuple[float, float], area_name: str | None) -> str | None:
    """What the point lies outside of, as the reply names it; None when it may be used."""
    if org.area is not None:
        if inside(org.area, point):
            return None
        return texts.LOCATION_AREA.format(area=area_name or texts.OUTSIDE_AREA_SCOPE)
    return None if inside(INDONESIA, point) else texts.LOCATION_ABROAD


def place_text(raw: str | None) -> str:
    """The shared place's name and address as one clean line ("" for none)."""
    return shorten(clean_text(raw), MAX_PLACE_CHARS) if raw else ""


def shared(turn: Turn, intake: Intake) -> None:
    """``turn.msg.location`` (and the place's name and address, ``turn.msg.place``)."""
    assert turn.msg.location is not None
    point = coordinates(*turn.msg.location)
    if point is None or point == (0.0, 0.0):
        turn.say(texts.LOCATION_INVALID)
        repeat(turn, intake)
        return
    outside = outside_of(turn.ctx.org, point, intake.config.area_name)
    if outside is not None:
        turn.say(texts.LOCATION_OUTSIDE.format(area=outside))
        repeat(turn, intake)
        return
    named = place_text(turn.msg.place)
    if isinstance(turn.state, Asking):
        place = turn.state.draft.place
        if named and not place.detail:
            place.detail = named
        intake.add_location(turn, turn.state, *point)
    else:
        intake.start(turn, None, Draft(place=PlaceDraft(detail=named, latitude=point[0], longitude=point[1])))
