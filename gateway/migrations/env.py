from gateway.db import metadata
from services.common.migrations import run_migrations

run_migrations(metadata)
