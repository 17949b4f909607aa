"""Run a service's Alembic migrations from code, for entry points and tests."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData
from sqlalchemy.engine import make_url

from services.common.db import normalize_url


def alembic_config(migrations_dir: Path, database_url: str) -> Config:
    url = make_url(normalize_url(database_url))
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        # A fresh checkout has no data directory yet.
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", normalize_url(database_url).replace("%", "%%"))
    return config


def upgrade_to_head(migrations_dir: Path, database_url: str) -> None:
    command.upgrade(alembic_config(migrations_dir, database_url), "head")


def run_migrations(metadata: MetaData) -> None:
    """The body of every service's Alembic env.py: offline or online, batch mode on."""
    from alembic import context
    from sqlalchemy import engine_from_config, pool

    config = context.config
    if context.is_offline_mode():
        context.configure(
            url=config.get_main_option("sqlalchemy.url"),
            target_metadata=metadata,
            literal_binds=True,
            render_as_batch=True,
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with connectable.connect() as connection:
        # Batch mode lets ALTER TABLE migrations run on SQLite as well as PostgreSQL.
        context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
