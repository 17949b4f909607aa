from services.common.migrations import run_migrations
from services.shops.db import metadata

run_migrations(metadata)
