# ruff: noqa: F811 - the contract's backend fixtures are imported by name and taken as arguments
"""The sign-in repository (complaints.ports.SignInRepository) holds the same contract on
SQLite, PostgreSQL and the in-memory fake: links used once, credentials replaced, sessions
touched and ended, the audit newest first; only digests of secrets are stored."""

from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import inspect as sa_inspect

from complaints.signin import Credentials, LoginLink, Method, Outcome, SignInEvent, WebSession, digest
from storage.database import create_engine
from storage.migrate import alembic_config, upgrade
from tests.storage.test_storage_contract import (  # noqa: F401 - the contract's backends, as fixtures
    T0,
    backend,
    database_url,
    engine,
    sql_engine,
    uow_factory,
)


async def test_a_link_is_used_once(uow_factory) -> None:
    link = LoginLink(digest("rahasia"), "admin-pusat", T0, T0 + timedelta(minutes=15))
    async with uow_factory() as uow:
        await uow.signins.add_link(link)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.signins.link(digest("rahasia")) == link
        assert await uow.signins.use_link(link.token_digest, T0 + timedelta(minutes=1))
        assert not await uow.signins.use_link(link.token_digest, T0 + timedelta(minutes=2))
        await uow.commit()
    async with uow_factory() as uow:
        found = await uow.signins.link(link.token_digest)
        assert found is not None and found.used_at == T0 + timedelta(minutes=1)
        assert found.outcome(T0 + timedelta(minutes=3)) is Outcome.USED_LINK
        assert await uow.signins.link(digest("lain")) is None


async def test_credentials_are_replaced_and_uncommitted_failures_vanish(uow_factory) -> None:
    async with uow_factory() as uow:
        assert await uow.signins.credentials("petugas-dlh") is None
        await uow.signins.put_credentials(Credentials("petugas-dlh", "$argon2id$satu"), T0)
        await uow.commit()
    async with uow_factory() as uow:
        failed = Credentials("petugas-dlh", "$argon2id$satu", 2, T0, None)
        await uow.signins.put_credentials(failed, T0)
        assert await uow.signins.credentials("petugas-dlh", for_update=True) == failed
    async with uow_factory() as uow:  # not committed: gone
        assert (await uow.signins.credentials("petugas-dlh")) == Credentials("petugas-dlh", "$argon2id$satu")
        locked = Credentials("petugas-dlh", "$argon2id$dua", 0, T0, T0 + timedelta(minutes=30))
        await uow.signins.put_credentials(locked, T0)
        await uow.commit()
    async with uow_factory() as uow:
        assert await uow.signins.credentials("petugas-dlh") == locked


async def test_sessions_are_touched_and_ended(uow_factory) -> None:
    first = WebSession(digest("sesi-1"), "petugas-dlh", "csrf-1", T0, T0)
    second = WebSession(digest("sesi-2"), "petugas-dlh", "csrf-2", T0, T0)
    other = WebSession(digest("sesi-3"), "admin-pusat", "csrf-3", T0, T0)
    async with uow_factory() as uow:
        for session in (first, second, other):
            await uow.signins.add_session(session)
        await uow.commit()
    later = T0 + timedelta(minutes=5)
    async with uow_factory() as uow:
        await uow.signins.touch_session(first.session_digest, later)
        await uow.signins.end_session(second.session_digest, later)
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.signins.session(first.session_digest)).last_seen_at == later
        assert (await uow.signins.session(second.session_digest)).ended_at == later
        assert await uow.signins.end_sessions("petugas-dlh", later + timedelta(minutes=1)) == 1  # the open one
        await uow.commit()
    async with uow_factory() as uow:
        assert (await uow.signins.session(first.session_digest)).ended_at is not None
        assert (await uow.signins.session(other.session_digest)).ended_at is None
        assert await uow.signins.session(digest("tidak-ada")) is None


async def test_the_audit_is_read_newest_first(uow_factory) -> None:
    async with uow_factory() as uow:
        for minutes, officer, outcome in ((0, "a", Outcome.OK), (1, "b", Outcome.BAD_PASSWORD), (2, "a", Outcome.WAIT)):
            await uow.signins.record(SignInEvent(T0 + timedelta(minutes=minutes), officer, Method.PASSWORD, outcome,
                                                 "10.0.0.1"))
        await uow.commit()
    async with uow_factory() as uow:
        assert [e.outcome for e in await uow.signins.events("a")] == [Outcome.WAIT, Outcome.OK]
        every = await uow.signins.events(limit=2)
        assert [e.officer_id for e in every] == ["a", "b"] and every[0].address == "10.0.0.1"
        assert every[0].at == T0 + timedelta(minutes=2)


@pytest.mark.sql_only("the schema's migrations")
async def test_0011_adds_the_sign_in_tables_and_downgrades_cleanly(database_url: str) -> None:
    engine = create_engine(database_url)
    tables = {"login_links", "officer_credentials", "web_sessions", "signin_events"}
    try:
        await upgrade(engine, "0010")
        assert not tables & await table_names(engine)
        await upgrade(engine)
        assert tables <= await table_names(engine)
        async with engine.begin() as conn:
            await conn.run_sync(lambda sync: command.downgrade(alembic_config(sync), "0010"))
        assert not tables & await table_names(engine)
        await upgrade(engine)
        assert tables <= await table_names(engine)
    finally:
        await engine.dispose()


async def table_names(engine) -> set[str]:
    async with engine.connect() as conn:
        return await conn.run_sync(lambda sync: set(sa_inspect(sync).get_table_names()))
