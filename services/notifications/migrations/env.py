from services.common.migrations import run_migrations
from services.notifications.db import metadata

run_migrations(metadata)
