"""SQLAlchemy plumbing shared by the services: metadata, engines and sessions."""

from __future__ import annotations

import weakref
from pathlib import Path

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

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
            # pysqlite's own transaction handling defers BEGIN; emitting it ourselves makes
            # SELECT ... then UPDATE inside one transaction behave as on PostgreSQL.
            event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    return create_engine(url, pool_pre_ping=True, **options)


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_query_only(dbapi_connection, _record) -> None:
    # A write through a reading connection is a bug: it fails loudly instead of taking
    # the write lock halfway through a deferred transaction.
    dbapi_connection.execute("PRAGMA query_only=ON")


def make_session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False)


# One reading engine (its own pool) per writing engine, made on first use.
_reading_engines: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()


def reading(session_factory: sessionmaker) -> Session:
    """A session for reads only, used as `with reading(session_factory) as session:`.

    On SQLite its transactions begin DEFERRED on connections that refuse writes: in WAL
    mode each reads a consistent snapshot while a writer works, and neither waits for the
    other (a writing session's BEGIN IMMEDIATE would queue behind every writer). Elsewhere
    it is an ordinary session, since PostgreSQL readers never wait for writers anyway.
    """
    engine = session_factory.kw.get("bind")
    if not isinstance(engine, Engine) or not is_sqlite(engine) or _in_memory(engine):
        return session_factory()
    reader = _reading_engines.get(engine)
    if reader is None:
        url = engine.url.render_as_string(hide_password=False)
        reader = _reading_engines.setdefault(engine, make_engine(url, read_only=True))
    return session_factory(bind=reader)


def _in_memory(engine: Engine) -> bool:
    # Every connection to ":memory:" is a database of its own: a second engine sees nothing.
    return engine.url.database in (None, "", ":memory:")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
