"""Sessions for reading: snapshots that never queue behind SQLite's single writer."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import JSON, Column, Integer, MetaData, Table, func, insert, select
from sqlalchemy.exc import InternalError, OperationalError

from services.common.db import CommitWatch, make_engine, make_session_factory, reading
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


def test_reading_keeps_one_snapshot_for_its_whole_transaction(session_factory):
    """A page read in several statements never shows half of a commit made between them."""
    with session_factory.begin() as session:
        session.add(SeenShop(shop_id="s-1", name="one"))
    with reading(session_factory) as session:
        assert count(session) == 1
        with session_factory.begin() as writer:
            writer.add(SeenShop(shop_id="s-2", name="two"))
        assert count(session) == 1
        assert session.scalars(select(SeenShop.name)).all() == ["one"]
    with reading(session_factory) as session:
        assert count(session) == 2


def test_reading_refuses_to_write(database_url):
    engine = make_engine(database_url)
    Base.metadata.create_all(engine)
    session_factory = make_session_factory(engine)
    try:
        with reading(session_factory) as session:
            with pytest.raises((OperationalError, InternalError), match="read-?only"):
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


def test_concurrent_writers_never_lose_an_update(database_url):
    """Read, then write, in one writing transaction: no two writers read the same value."""
    engine = make_engine(database_url)
    Base.metadata.create_all(engine)
    session_factory = make_session_factory(engine)
    with session_factory.begin() as session:
        session.add(SeenShop(id=1, shop_id="counter", name="0"))

    def add_one(_: int) -> None:
        with session_factory.begin() as session:
            row = session.scalars(select(SeenShop).where(SeenShop.id == 1).with_for_update()).one()
            row.name = str(int(row.name) + 1)

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(add_one, range(200)))
        with reading(session_factory) as session:
            assert session.get(SeenShop, 1).name == "200"
    finally:
        engine.dispose()


def test_a_writer_waits_for_another_process_holding_the_lock_then_goes_on(sqlite_url):
    engine = make_engine(sqlite_url)
    Base.metadata.create_all(engine)
    session_factory = make_session_factory(engine)
    other_process = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    other_process.execute("BEGIN IMMEDIATE")
    other_process.execute("INSERT INTO seen_shop (shop_id, name) VALUES ('s-1', 'first')")

    def write() -> None:
        with session_factory.begin() as session:
            session.add(SeenShop(shop_id="s-2", name="second"))

    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            waiting = pool.submit(write)
            other_process.execute("COMMIT")
            waiting.result(timeout=30)
        with reading(session_factory) as session:
            assert session.scalars(select(SeenShop.name).order_by(SeenShop.id)).all() == [
                "first",
                "second",
            ]
    finally:
        other_process.close()
        engine.dispose()


def test_a_failed_writing_transaction_lets_the_next_writer_in(sqlite_url):
    engine = make_engine(sqlite_url)
    Base.metadata.create_all(engine)
    session_factory = make_session_factory(engine)
    try:
        with pytest.raises(RuntimeError):
            with session_factory.begin() as session:
                session.add(SeenShop(shop_id="s-1", name="rolled back"))
                session.flush()
                raise RuntimeError("refused")
        with ThreadPoolExecutor(max_workers=1) as pool:
            # Another thread: a turn never given back would keep it waiting.
            pool.submit(lambda: _write(session_factory, "after")).result(timeout=30)
        with reading(session_factory) as session:
            assert session.scalars(select(SeenShop.name)).all() == ["after"]
    finally:
        engine.dispose()


def _write(session_factory, name: str) -> None:
    with session_factory.begin() as session:
        session.add(SeenShop(shop_id="s-x", name=name))


def test_commit_watch_on_sqlite_sees_commits_of_other_connections_only(session_factory):
    engine = session_factory.kw["bind"]
    watch = CommitWatch(engine)
    try:
        assert watch.changed() is True  # the first look always counts
        if engine.dialect.name != "sqlite":
            # It cannot tell elsewhere, so it never claims that nothing changed.
            assert watch.changed() is True
            return
        assert watch.changed() is False
        with reading(session_factory) as session:
            count(session)
        assert watch.changed() is False  # a read is not a commit
        with session_factory.begin() as session:
            session.add(SeenShop(shop_id="s-9", name="nine"))
        assert watch.changed() is True
        assert watch.changed() is False
    finally:
        watch.close()


def test_json_columns_read_back_what_was_written(database_url):
    metadata = MetaData()
    table = Table(
        "json_values", metadata, Column("id", Integer, primary_key=True), Column("body", JSON)
    )
    engine = make_engine(database_url)
    metadata.create_all(engine)
    written = {
        "title": "Émile, ou De l'éducation — 1762",
        "price": {"amount": 1250, "currency": "EUR"},
        "categories": ["philosophy", "éducation"],
        "year": None,
        3: "a key that is not a string is written as one, as json.dumps does",
    }
    try:
        with engine.begin() as connection:
            connection.execute(insert(table), [{"id": 1, "body": written}, {"id": 2, "body": None}])
        with engine.connect() as connection:
            read = dict(connection.execute(select(table.c.id, table.c.body)).all())
    finally:
        engine.dispose()
    expected = {str(key): value for key, value in written.items()}
    assert read == {1: expected, 2: None}
