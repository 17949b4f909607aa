"""Sessions for reading: snapshots that never queue behind SQLite's single writer."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import OperationalError

from services.common.db import make_engine, make_session_factory, reading
from tests.common.messaging_fixture import Base, SeenShop

pytestmark = pytest.mark.integration


@pytest.fixture
def session_factory(database_url):
    engine = make_engine(database_url)
    Base.metadata.create_all(engine)
    yield make_session_factory(engine)
    engine.dispose()


def count(session) -> int:
    return session.scalar(select(func.count()).select_from(SeenShop))


def test_reading_sees_what_was_committed(session_factory):
    with session_factory.begin() as session:
        session.add(SeenShop(shop_id="s-1", name="one"))
    with reading(session_factory) as session:
        assert count(session) == 1
        assert session.scalars(select(SeenShop.name)).all() == ["one"]


def test_reading_on_sqlite_does_not_wait_for_a_writer_in_the_middle_of_its_transaction(
    sqlite_url,
):
    engine = make_engine(sqlite_url)
    Base.metadata.create_all(engine)
    session_factory = make_session_factory(engine)
    with session_factory.begin() as session:
        session.add(SeenShop(shop_id="s-1", name="before"))
    writer = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO seen_shop (shop_id, name) VALUES ('s-2', 'uncommitted')")
        # The writer still holds the write lock: a reader sees the last committed state.
        with reading(session_factory) as session:
            assert session.scalars(select(SeenShop.name)).all() == ["before"]
        writer.execute("COMMIT")
    finally:
        writer.close()
        engine.dispose()


def test_reading_on_sqlite_refuses_to_write(sqlite_url):
    engine = make_engine(sqlite_url)
    Base.metadata.create_all(engine)
    session_factory = make_session_factory(engine)
    try:
        with reading(session_factory) as session:
            with pytest.raises(OperationalError, match="readonly"):
                session.execute(insert(SeenShop).values(shop_id="s-1", name="sneaked"))
        with session_factory() as session:
            assert count(session) == 0
        # The writing engine's connections are untouched by the reading engine's rule.
        with session_factory.begin() as session:
            session.add(SeenShop(shop_id="s-1", name="written"))
        with reading(session_factory) as session:
            assert count(session) == 1
    finally:
        engine.dispose()
