"""The use cases on the in-memory unit of work: the demo organisation, a fresh store, and
the context every use case reads (Indonesian holidays, a seeded generator of codes).
A module may define its own ``ctx`` (another calendar or seed)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

import aduan
from aduan.bootstrap import indonesian_calendar
from aduan.organisation import load_organisation
from bot.notices import IndonesianNotices
from complaints.org import Organisation
from complaints.usecases.context import CaseContext
from tests.fakes.uow import MemoryStore

DEMO_ORGANISATION = Path(aduan.__file__).parent / "demo" / "organisation.yaml"


@pytest.fixture(scope="module")
def org() -> Organisation:
    return load_organisation(DEMO_ORGANISATION)


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def ctx(org: Organisation) -> CaseContext:
    return CaseContext(org, IndonesianNotices(org.templates, org.policy), indonesian_calendar(org.extra_holidays),
                       rng=random.Random(1))
