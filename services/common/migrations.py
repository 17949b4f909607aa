"""Run a service's Alembic migrations from code, for entry points and tests."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
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
