"""Similar open complaints: the one rule of when a new report is "the same problem" as a case
already being handled, so that the citizen can support it instead of starting a second clock.

A case is similar to what the citizen is reporting when it is about the same category, in the
same kelurahan (or within ``radius_m`` when both have coordinates), still open (being handled,
not yet answered), filed within the last ``window``, and its text is similar enough by the
scorer's own threshold. The scorer (``TextSimilarity``) reads Indonesian text; ``nlu.similarity``
implements it. Storage returns the candidates (:class:`Candidate`) of a :class:`SimilarQuery`;
this module decides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from .taxonomy import Category, Status
from .workflow import OPEN

EARTH_RADIUS_M = 6_371_000.0
METRES_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180


@dataclass(frozen=True)
class SimilarityPolicy:
    radius_m: float = 150.0  # two points this close are one place, whatever their kelurahan
    window: timedelta = timedelta(days=60)  # cases filed longer ago are not offered
    shown: int = 3  # at most this many are offered
    candidates: int = 500  # at most this many of one place and category are compared


class TextSimilarity(Protocol):
    """How alike two complaint texts are, 0..1, and from which score they are one problem."""

    @property
    def threshold(self) -> float: ...

    def score(self, a: str, b: str) -> float: ...


@dataclass(frozen=True)
class Box:
    """The latitudes and longitudes within ``radius_m`` of a point (a little more at the corners)."""

    south: float
    north: float
    west: float
    east: float

    @classmethod
    def around(cls, latitude: float, longitude: float, radius_m: float) -> Box:
        dlat = radius_m / METRES_PER_DEGREE
        dlon = radius_m / (METRES_PER_DEGREE * max(math.cos(math.radians(latitude)), 1e-6))
        return cls(latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon)


@dataclass(frozen=True)
class Probe:
    """What the citizen is about to report."""

    category: Category
    text: str  # the description and the place detail
    owner: str  # their chat, "channel:sender": their own cases are never offered to them
    region_code: str | None = None  # the kelurahan (Kemendagri code)
    latitude: float | None = None
    longitude: float | None = None

    @property
    def point(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return self.latitude, self.longitude


@dataclass(frozen=True)
class SimilarQuery:
    """The cases storage returns as candidates: of ``category``, in ``statuses``, filed at or
    after ``since``, and either in ``region_code`` or with coordinates inside ``box``."""

    category: Category
    since: datetime
    statuses: frozenset[Status]
    region_code: str | None
    box: Box | None
    limit: int


@dataclass(frozen=True)
class Candidate:
    """A case as the lookup compares it (nothing of it is shown from here)."""

    code: str
    description: str
    place_detail: str
    owner: str
    created_at: datetime
    region_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None

    @property
    def text(self) -> str:
        return f"{self.description}\n{self.place_detail}" if self.place_detail else self.description


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, h)))


def query_for(probe: Probe, now: datetime, policy: SimilarityPolicy = SimilarityPolicy()) -> SimilarQuery | None:
    """The candidates to fetch; None when the report names no place to compare (no kelurahan,
    no coordinates) or no category: then nothing is "the same problem"."""
    point = probe.point
    if probe.category is Category.LAINNYA or (probe.region_code is None and point is None):
        return None
    box = Box.around(*point, policy.radius_m) if point is not None else None
    return SimilarQuery(probe.category, now - policy.window, OPEN, probe.region_code, box, policy.candidates)


def same_place(probe: Probe, candidate: Candidate, radius_m: float) -> bool:
    """Within the radius when both have coordinates; else the same kelurahan."""
    point = probe.point
    if point is not None and candidate.latitude is not None and candidate.longitude is not None:
        return distance_m(point, (candidate.latitude, candidate.longitude)) <= radius_m
    return probe.region_code is not None and probe.region_code == candidate.region_code


def rank(
    probe: Probe, candidates: list[Candidate], scorer: TextSimilarity, policy: SimilarityPolicy = SimilarityPolicy(),
) -> list[tuple[float, Candidate]]:
    """The candidates that are the same problem, the most similar first (ties: the older case
    first, as it has waited longer); never the citizen's own."""
    found = []
    for candidate in candidates:
        if candidate.owner == probe.owner or not same_place(probe, candidate, policy.radius_m):
            continue
        score = scorer.score(probe.text, candidate.text)
        if score >= scorer.threshold:
            found.append((score, candidate))
    found.sort(key=lambda pair: (-pair[0], pair[1].created_at, pair[1].code))
    return found
