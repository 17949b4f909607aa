"""SQLAlchemy plumbing shared by the services: metadata, engines and sessions, and the
column type every time is kept in."""

from __future__ import annotations

import sqlite3
import threading
import time
import weakref
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, exc
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from services.common.clock import as_utc

# Stable constraint names make Alembic migrations reproducible on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def make_metadata() -> MetaData:
    """Each service builds its own metadata: no table is shared between services."""
    return MetaData(naming_convention=NAMING_CONVENTION)


def normalize_url(url: str) -> str:
    # Operators paste "postgresql://" URLs; psycopg 3 is the driver we ship.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def make_engine(url: str, *, read_only: bool = False, **options) -> Engine:
    """An engine for `url`. On SQLite every transaction of a writing engine begins
    IMMEDIATE; a `read_only` engine's begin DEFERRED and cannot write (see `reading`)."""
    url = normalize_url(url)
    parsed = make_url(url)
    options.setdefault("json_serializer", json_text)
    options.setdefault("json_deserializer", orjson.loads)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **options
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        if read_only:
            event.listen(engine, "connect", _sqlite_query_only)
            event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
        else:
            # pysqlite's own transaction handling defers BEGIN; emitting BEGIN IMMEDIATE
            # ourselves makes SELECT ... then UPDATE inside one transaction behave as on
            # PostgreSQL.
            WriterQueue().attach(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, **options)


def json_text(value: Any) -> str:
    """`value` as JSON for a JSON column: orjson writes it several times faster than the
    standard library, which showed in every bulk write of listings. As json.dumps does, a
    key that is not a string is written as one; text is not escaped to ASCII (the JSON reads
    back the same). Returned as text, since SQLite's driver would store bytes as a BLOB."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_query_only(dbapi_connection, _record) -> None:
    # A write through a reading connection is a bug: it fails loudly instead of taking
    # the write lock halfway through a deferred transaction.
    dbapi_connection.execute("PRAGMA query_only=ON")


class WriterQueue:
    """Writing transactions on one SQLite file begin here: BEGIN IMMEDIATE, one at a time.

    SQLite has one write lock per file. Left to its busy handler, a writer that finds the
    lock taken sleeps 1, 2, 5, 10 ... up to 100 ms between tries, so under load the lock
    sits free while every waiter sleeps. Here the writers of this process first queue on
    a thread lock (held from BEGIN until COMMIT or ROLLBACK), and only the one at its head
    tries the file lock, every millisecond or so, against the other processes.
    """

    def __init__(self, *, timeout: float = 30.0) -> None:
        self.timeout = timeout
        self._turn = threading.Lock()

    def attach(self, engine: Engine) -> None:
        event.listen(engine, "begin", self.begin)
        event.listen(engine, "commit", self.end)
        event.listen(engine, "rollback", self.end)
        # Whatever path a connection takes back to the pool, it never keeps the turn.
        event.listen(engine, "checkin", lambda _dbapi, record: self._release(record.info))
        event.listen(engine, "invalidate", lambda _dbapi, record, _e: self._release(record.info))

    def begin(self, conn) -> None:
        deadline = time.monotonic() + self.timeout
        if not self._turn.acquire(timeout=self.timeout):
            locked = sqlite3.OperationalError("database is locked: no turn to write in time")
            raise exc.OperationalError("BEGIN IMMEDIATE", None, locked)
        conn.info[_HOLDS_TURN] = True
        try:
            self._begin_immediate(conn.connection.dbapi_connection, deadline)
        except sqlite3.Error as error:
            self._release(conn.info)
            raise exc.OperationalError("BEGIN IMMEDIATE", None, error) from error
        except BaseException:
            self._release(conn.info)
            raise

    def end(self, conn) -> None:
        # Fires just before COMMIT or ROLLBACK: the next writer of this process may find
        # the file lock still held for a moment, and simply tries again.
        self._release(conn.info)

    def _release(self, info: dict) -> None:
        if info.pop(_HOLDS_TURN, False):
            self._turn.release()

    @staticmethod
    def _begin_immediate(dbapi_connection: sqlite3.Connection, deadline: float) -> None:
        pause = 0.0005
        dbapi_connection.execute("PRAGMA busy_timeout=0")
        try:
            while True:
                try:
                    dbapi_connection.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as error:
                    if "locked" not in str(error) or time.monotonic() > deadline:
                        raise
                time.sleep(pause)
                pause = min(pause * 2, 0.002)
        finally:
            dbapi_connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


_HOLDS_TURN = "holds_writer_turn"


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False)


# One reading engine (its own pool) per writing engine, made on first use.
_reading_engines: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()


def reading(session_factory: sessionmaker) -> Session:
    """A session for reads only, used as `with reading(session_factory) as session:`.

    Its transactions run on connections that refuse writes, and each reads one consistent
    snapshot however many statements it takes. On SQLite they begin DEFERRED: in WAL mode
    a reader and a writer never wait for each other (a writing session's BEGIN IMMEDIATE
    would queue behind every writer). On PostgreSQL they are REPEATABLE READ and READ ONLY.
    """
    engine = session_factory.kw.get("bind")
    if not isinstance(engine, Engine) or _in_memory(engine):
        return session_factory()
    return session_factory(bind=reading_engine(engine))


def reading_engine(engine: Engine) -> Engine:
    """The read-only engine beside a writing engine."""
    if not is_sqlite(engine):
        # The same pool with options psycopg sends in each BEGIN, at no extra round trip.
        # Not cached: the options engine holds its engine, which would then never be freed.
        return engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    reader = _reading_engines.get(engine)
    if reader is None:
        url = engine.url.render_as_string(hide_password=False)
        reader = _reading_engines.setdefault(engine, make_engine(url, read_only=True))
    return reader


class CommitWatch:
    """Tells, for almost nothing, whether anyone may have committed to a SQLite file since
    the last look: `PRAGMA data_version` on a connection of its own changes whenever
    another connection commits. Elsewhere it always answers yes."""

    def __init__(self, engine: Engine) -> None:
        self._connection = None
        if is_sqlite(engine) and not _in_memory(engine):
            self._connection = reading_engine(engine).raw_connection()
        self._seen: int | None = None

    def changed(self) -> bool:
        if self._connection is None:
            return True
        try:
            cursor = self._connection.cursor()
            cursor.execute("PRAGMA data_version")
            version = cursor.fetchone()[0]
            cursor.close()
        except sqlite3.Error:
            return True
        changed, self._seen = version != self._seen, version
        return changed

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def _in_memory(engine: Engine) -> bool:
    # Every connection to ":memory:" is a database of its own: a second engine sees nothing.
    return is_sqlite(engine) and engine.url.database in (None, "", ":memory:")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


class UtcDateTime(TypeDecorator[datetime]):
    """A time column: `DateTime(timezone=True)` (the same column in migrations) that hands
    back UTC on every database. SQLite keeps no zone, so the plain type reads naive values
    there and aware ones on PostgreSQL; this stores any aware time as UTC (a naive one is
    taken to be UTC already) and reads UTC on both."""

    impl = DateTime(timezone=True)
    cache_ok = True

    # Both run for every time written or read, so the common cases come first: a time from
    # `utcnow()` is written as it is, and SQLite's naive one only gets its zone.
    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is UTC:
            return value
        return as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is UTC:
            return value
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
