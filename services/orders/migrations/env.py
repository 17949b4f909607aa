from services.common.migrations import run_migrations
from services.orders.db import metadata

run_migrations(metadata)
